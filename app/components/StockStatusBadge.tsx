import { Badge } from "@shopify/polaris";
import type { StockStatus } from "../inventory/stock-status";
import { useT, type MessageKey } from "../i18n";

type Tone = "success" | "info" | "attention" | "warning" | "critical" | undefined;

const LOOK: Record<StockStatus, { tone: Tone; label: MessageKey }> = {
  in_sync: { tone: "success", label: "inventory.status.in_sync" },
  syncing: { tone: "info", label: "inventory.status.syncing" },
  drifted: { tone: "critical", label: "inventory.status.drifted" },
  low: { tone: "warning", label: "inventory.status.low" },
  unmapped: { tone: undefined, label: "inventory.status.unmapped" },
  frozen: { tone: "attention", label: "inventory.status.frozen" },
};

export function StockStatusBadge({ status }: { status: StockStatus }) {
  const t = useT();
  const look = LOOK[status];
  return <Badge tone={look.tone}>{t(look.label)}</Badge>;
}
