// The reviewer's view of a handed-in count: per line the book snapshotted when counting started, the
// movements the ledger recorded during the count, what should have been there, what was counted,
// and the variance in units and at cost. Lines over the shop's thresholds need a recount or a note
// (highlighted); each line takes a reason and a note. Then: send lines back for a recount, or approve.
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, ButtonGroup, Card, IndexTable, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { useLocale, useT, type MessageKey } from "../../i18n";
import type { CountTaskActionType } from "../../counts/task-status";
import { VARIANCE_REASONS } from "../../counts/variance";
import type { CountReview, CountReviewLine } from "../../models/counts/counting.server";
import type { TaskActionData } from "../../models/counts/task-page";
import { ResolutionBadge } from "./CountBadges";
import { formatMoney, formatSignedUnits, formatUnits } from "./count-text";

/** Many lines: show those with a variance first, the rest on demand. */
const MANY_LINES = 30;

function centsOf(value: string | null): number {
  return value == null ? 0 : Math.round(Number(value) * 100);
}

function Figure({ label, value, tone }: { label: string; value: string; tone?: "critical" | "success" | "caution" }) {
  return (
    <BlockStack gap="100">
      <Text as="p" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg" tone={tone}>
        {value}
      </Text>
    </BlockStack>
  );
}

function ReasonCell({ line, editable }: { line: CountReviewLine; editable: boolean }) {
  const t = useT();
  const fetcher = useFetcher<TaskActionData>({ key: `count-reason-${line.lineId}` });
  const [reason, setReason] = useState(line.reason ?? "");
  const [note, setNote] = useState(line.note ?? "");
  useEffect(() => setReason(line.reason ?? ""), [line.reason]);
  useEffect(() => setNote(line.note ?? ""), [line.note]);
  const save = (next: { reason?: string; note?: string }) => {
    const values = { reason, note, ...next };
    if (values.reason === (line.reason ?? "") && values.note.trim() === (line.note ?? "")) return;
    fetcher.submit({ intent: "reason", lineId: line.lineId, reason: values.reason, note: values.note }, { method: "post" });
  };
  if (!editable) {
    return (
      <BlockStack gap="050">
        <Text as="span">{line.reason ? t(`counts.reason.${line.reason}` as MessageKey) : "—"}</Text>
        {line.note ? (
          <Text as="span" variant="bodySm" tone="subdued">
            {line.note}
          </Text>
        ) : null}
      </BlockStack>
    );
  }
  const saving = fetcher.state !== "idle";
  return (
    // The row's own click must not fire while the reason is being edited.
    <div onClick={(event) => event.stopPropagation()} style={{ minWidth: "16rem" }}>
      <BlockStack gap="100">
        <Select
          label={t("counts.review.reason")}
          labelHidden
          options={[{ label: t("counts.review.noReason"), value: "" }, ...VARIANCE_REASONS.map((value) => ({ label: t(`counts.reason.${value}` as MessageKey), value }))]}
          value={reason}
          onChange={(value) => {
            setReason(value);
            save({ reason: value });
          }}
          disabled={saving}
        />
        <div
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              save({});
            }
          }}
        >
          <TextField
            label={t("counts.review.note")}
            labelHidden
            placeholder={t("counts.review.notePlaceholder")}
            value={note}
            onChange={setNote}
            onBlur={() => save({})}
            autoComplete="off"
            error={fetcher.data?.problem ? t("counts.review.noteNotSaved") : undefined}
          />
        </div>
      </BlockStack>
    </div>
  );
}

export function ReviewCard({ review, actions, currency }: { review: CountReview; actions: CountTaskActionType[]; currency: string | null }) {
  const t = useT();
  const locale = useLocale();
  const { task, totals, thresholds } = review;
  const lifecycle = useFetcher<TaskActionData>({ key: `count-lifecycle-${task.id}` });
  const [note, setNote] = useState("");
  const [allLines, setAllLines] = useState(review.lines.length <= MANY_LINES);
  const editable = task.status === "review";
  const busyIntent = lifecycle.state !== "idle" ? lifecycle.formData?.get("intent") : null;

  const value = useMemo(() => {
    let over = 0;
    let short = 0;
    for (const line of review.lines) {
      const cents = centsOf(line.varianceValue);
      if (cents > 0) over += cents;
      else short -= cents;
    }
    return { over: (over / 100).toFixed(2), short: (short / 100).toFixed(2), net: ((over - short) / 100).toFixed(2) };
  }, [review.lines]);

  const needs = review.blocking.filter((line) => line.why === "needs_recount_or_note");
  const notCounted = review.blocking.filter((line) => line.why === "not_counted");
  const shown = allLines ? review.lines : review.lines.filter((line) => (line.varianceUnits ?? 0) !== 0 || line.needsRecountOrNote || line.recountRequested);
  const money = (amount: string | null, signed = false) => formatMoney(amount, currency, locale, signed);

  return (
    <Card padding="0">
      <BlockStack gap="0">
        <Box padding="400">
          <BlockStack gap="400">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {t("counts.review.heading")}
              </Text>
              <Text as="span" variant="bodySm" tone="subdued">
                {t("counts.review.thresholds", { units: thresholds.units, value: money(thresholds.value) })}
              </Text>
            </InlineStack>
            <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
              <Figure label={t("counts.review.total.lines")} value={formatUnits(totals.lines, locale)} />
              <Figure label={t("counts.review.total.withVariance")} value={formatUnits(totals.linesWithVariance, locale)} tone={totals.linesWithVariance ? "caution" : "success"} />
              <Figure label={t("counts.review.total.over")} value={formatSignedUnits(totals.unitsOver, locale)} />
              <Figure label={t("counts.review.total.short")} value={formatSignedUnits(-totals.unitsShort, locale)} tone={totals.unitsShort ? "critical" : undefined} />
              <Figure label={t("counts.review.total.value")} value={money(value.net, true)} tone={Number(value.net) < 0 ? "critical" : undefined} />
            </InlineGrid>
            {needs.length ? (
              <Banner tone="critical" title={t("counts.review.needs.title", { count: needs.length })}>
                <p>
                  {t("counts.review.needs.body", {
                    skus: needs
                      .map((line) => line.warehouseSku)
                      .slice(0, 12)
                      .join(", "),
                  })}
                </p>
              </Banner>
            ) : null}
            {notCounted.length ? (
              <Banner tone="warning" title={t("counts.review.notCounted", { count: notCounted.length })}>
                <p>
                  {notCounted
                    .map((line) => line.warehouseSku)
                    .slice(0, 12)
                    .join(", ")}
                </p>
              </Banner>
            ) : null}
            {review.uncounted.treatment === "count_as_zero" && review.uncounted.lineIds.length ? (
              <Banner tone="warning" title={t("counts.review.zeros", { count: review.uncounted.lineIds.length })}>
                <p>{t("counts.review.zerosBody")}</p>
              </Banner>
            ) : null}
            {task.status === "submitted" ? <Banner tone="info">{t("counts.review.startFirst")}</Banner> : null}
            {review.lines.length > MANY_LINES ? (
              <InlineStack>
                <Button variant="plain" onClick={() => setAllLines((all) => !all)}>
                  {allLines ? t("counts.review.onlyVariance") : t("counts.review.allLines", { count: review.lines.length })}
                </Button>
              </InlineStack>
            ) : null}
          </BlockStack>
        </Box>
        <IndexTable
          resourceName={{ singular: t("counts.sheet.line"), plural: t("counts.sheet.lines") }}
          itemCount={shown.length}
          selectable={false}
          emptyState={
            <Text as="p" alignment="center" tone="subdued">
              {t("counts.review.noVariance")}
            </Text>
          }
          headings={[
            { title: t("counts.sheet.column.sku") },
            { title: t("counts.sheet.column.bin") },
            { title: t("counts.review.column.book"), alignment: "end" },
            { title: t("counts.review.column.movement"), alignment: "end", tooltipContent: t("counts.review.column.movementHelp") },
            { title: t("counts.review.column.expected"), alignment: "end" },
            { title: t("counts.review.column.counted"), alignment: "end" },
            { title: t("counts.review.column.variance"), alignment: "end" },
            { title: t("counts.review.column.value"), alignment: "end" },
            { title: t("counts.review.column.resolution") },
            { title: t("counts.review.column.reason") },
          ]}
        >
          {shown.map((line, index) => (
            <IndexTable.Row
              id={line.lineId}
              key={line.lineId}
              position={index}
              tone={line.needsRecountOrNote ? "critical" : line.recountRequested && line.recountQuantity == null ? "warning" : undefined}
            >
              <IndexTable.Cell>
                <BlockStack gap="050">
                  <Text as="span" fontWeight="semibold">
                    {line.warehouseSku}
                  </Text>
                  {line.productTitle ? (
                    <Text as="span" variant="bodySm" tone="subdued">
                      {line.productTitle}
                    </Text>
                  ) : null}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>{line.bin ?? "—"}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {formatUnits(line.bookQuantity, locale)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric tone="subdued">
                  {formatSignedUnits(line.movementSinceSnapshot, locale)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {formatUnits(line.expectedQuantity, locale)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack gap="0" inlineAlign="end">
                  <Text as="span" numeric fontWeight="semibold">
                    {line.countedAs === "uncounted_as_zero" ? t("counts.review.zero") : formatUnits(line.quantityInEffect, locale)}
                  </Text>
                  {line.recountQuantity != null && line.countedQuantity != null ? (
                    <Text as="span" variant="bodySm" tone="subdued">
                      {t("counts.review.firstCount", { quantity: formatUnits(line.countedQuantity, locale) })}
                    </Text>
                  ) : null}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text
                  as="span"
                  alignment="end"
                  numeric
                  fontWeight="semibold"
                  tone={(line.varianceUnits ?? 0) < 0 ? "critical" : (line.varianceUnits ?? 0) > 0 ? "success" : undefined}
                >
                  {formatSignedUnits(line.varianceUnits, locale)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {money(line.varianceValue, true)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{line.resolution ? <ResolutionBadge resolution={line.resolution} /> : "—"}</IndexTable.Cell>
              <IndexTable.Cell>
                <ReasonCell line={line} editable={editable && (line.varianceUnits ?? 0) !== 0} />
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
        {editable && (actions.includes("approve") || actions.includes("request_recount")) ? (
          <Box padding="400" borderBlockStartWidth="025" borderColor="border">
            <BlockStack gap="300">
              <TextField label={t("counts.review.decisionNote")} value={note} onChange={setNote} autoComplete="off" helpText={t("counts.review.decisionNoteHelp")} />
              <InlineStack align="end">
                <ButtonGroup>
                  {actions.includes("request_recount") ? (
                    <Button
                      onClick={() => lifecycle.submit({ intent: "request_recount", note }, { method: "post" })}
                      loading={busyIntent === "request_recount"}
                      disabled={lifecycle.state !== "idle" || totals.linesWithVariance === 0}
                    >
                      {t("counts.review.requestRecount")}
                    </Button>
                  ) : null}
                  {actions.includes("approve") ? (
                    <Button
                      variant="primary"
                      onClick={() => lifecycle.submit({ intent: "approve", note }, { method: "post" })}
                      loading={busyIntent === "approve"}
                      disabled={lifecycle.state !== "idle" || review.blocking.length > 0}
                    >
                      {t("counts.review.approve")}
                    </Button>
                  ) : null}
                </ButtonGroup>
              </InlineStack>
            </BlockStack>
          </Box>
        ) : null}
      </BlockStack>
    </Card>
  );
}
