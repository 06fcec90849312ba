// Badges of the count pages: a task's status, overdue, and a reviewed line's variance resolution.
import { Badge, type BadgeProps } from "@shopify/polaris";
import { useT, type MessageKey } from "../../i18n";
import type { CountTaskStatus } from "../../counts/task-status";
import type { VarianceResolution } from "../../counts/variance";

const STATUS_TONE: Record<CountTaskStatus, BadgeProps["tone"]> = {
  draft: undefined,
  assigned: "info",
  in_progress: "attention",
  submitted: "info",
  review: "warning",
  recount: "warning",
  approved: "success",
  posted: "success",
  cancelled: undefined,
};

const STATUS_PROGRESS: Record<CountTaskStatus, BadgeProps["progress"]> = {
  draft: "incomplete",
  assigned: "incomplete",
  in_progress: "partiallyComplete",
  submitted: "partiallyComplete",
  review: "partiallyComplete",
  recount: "partiallyComplete",
  approved: "partiallyComplete",
  posted: "complete",
  cancelled: undefined,
};

export function CountStatusBadge({ status }: { status: CountTaskStatus }) {
  const t = useT();
  return (
    <Badge tone={STATUS_TONE[status]} progress={STATUS_PROGRESS[status]}>
      {t(`counts.status.${status}` as MessageKey)}
    </Badge>
  );
}

export function OverdueBadge() {
  const t = useT();
  return <Badge tone="critical">{t("counts.list.overdue")}</Badge>;
}

const RESOLUTION_TONE: Record<VarianceResolution, BadgeProps["tone"]> = {
  no_variance: "success",
  within_threshold: undefined,
  confirmed_by_recount: "info",
  explained_by_note: "info",
  needs_recount_or_note: "critical",
  not_counted: "warning",
};

export function ResolutionBadge({ resolution }: { resolution: VarianceResolution }) {
  const t = useT();
  return <Badge tone={RESOLUTION_TONE[resolution]}>{t(`counts.resolution.${resolution}` as MessageKey)}</Badge>;
}
