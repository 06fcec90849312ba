import { Badge, type BadgeProps } from "@shopify/polaris";
import { useT } from "../i18n";
import { statusText } from "../orders/routing-story";

const LOOK: Record<string, Pick<BadgeProps, "tone" | "progress">> = {
  requested: { progress: "incomplete" },
  accepted: { tone: "info", progress: "partiallyComplete" },
  sent: { tone: "info", progress: "partiallyComplete" },
  shipped: { tone: "success", progress: "complete" },
  delivered: { tone: "success", progress: "complete" },
  cancelled: {},
  rejected: { tone: "critical" },
  waiting: { tone: "attention" },
  error: { tone: "critical" },
};

/** An order's status at TallySync, as a badge ("Sent to warehouse", "Waiting for stock"). */
export function OrderStatusBadge({ status }: { status: string }) {
  const t = useT();
  return <Badge {...(LOOK[status] ?? {})}>{statusText(status, t)}</Badge>;
}
