// The count sheet: every line in walking order (by bin, then SKU), what was counted and by whom.
// Blind counts have no expected quantity at all: the loader never sends it. While counting, a click
// on a row picks that line for the scanner field.
import { Banner, BlockStack, Box, Card, IndexTable, InlineStack, Text } from "@shopify/polaris";
import { useLocale, useT } from "../../i18n";
import type { CountSheet } from "../../models/counts/counting.server";
import { actorText, formatMoment, formatUnits } from "./count-text";

const SHOWN_SKUS = 12;

export function CountSheetTable({ sheet, timeZone, counting }: { sheet: CountSheet; timeZone: string; counting: boolean }) {
  const t = useT();
  const locale = useLocale();
  const showRecount = sheet.lines.some((line) => line.recountRequested || line.recountQuantity != null);
  const showExpected = sheet.lines.some((line) => line.expectedQuantity != null);
  const { uncounted } = sheet;
  const skus = uncounted.skus.slice(0, SHOWN_SKUS).join(", ") + (uncounted.skus.length > SHOWN_SKUS ? ` …` : "");
  const pick = (lineId: string) => window.dispatchEvent(new CustomEvent("tallysync:count-line", { detail: lineId }));

  return (
    <Card padding="0">
      <BlockStack gap="0">
        <Box padding="400">
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {t("counts.sheet.heading")}
              </Text>
              <Text as="span" tone="subdued">
                {t("counts.sheet.countedOf", { counted: sheet.lines.length - uncounted.lineIds.length, lines: sheet.lines.length })}
              </Text>
            </InlineStack>
            {uncounted.lineIds.length > 0 && sheet.task.status !== "draft" && sheet.task.status !== "assigned" ? (
              <Banner
                tone={uncounted.treatment === "count_as_zero" ? "warning" : "info"}
                title={t(uncounted.treatment === "count_as_zero" ? "counts.sheet.uncountedZero.title" : "counts.sheet.uncountedBlock.title", { count: uncounted.lineIds.length })}
              >
                <p>{t(uncounted.treatment === "count_as_zero" ? "counts.sheet.uncountedZero.body" : "counts.sheet.uncountedBlock.body", { skus })}</p>
              </Banner>
            ) : null}
          </BlockStack>
        </Box>
        <IndexTable
          resourceName={{ singular: t("counts.sheet.line"), plural: t("counts.sheet.lines") }}
          itemCount={sheet.lines.length}
          selectable={false}
          headings={[
            { title: t("counts.sheet.column.sku") },
            { title: t("counts.sheet.column.product") },
            { title: t("counts.sheet.column.barcode") },
            { title: t("counts.sheet.column.bin") },
            ...(showExpected ? [{ title: t("counts.sheet.column.expected"), alignment: "end" as const }] : []),
            { title: t("counts.sheet.column.counted"), alignment: "end" as const },
            ...(showRecount ? [{ title: t("counts.sheet.column.recount"), alignment: "end" as const }] : []),
            { title: t("counts.sheet.column.countedBy") },
          ]}
        >
          {sheet.lines.map((line, index) => {
            const waitingRecount = line.recountRequested && line.recountQuantity == null;
            const title = [line.productTitle, line.variantTitle && line.variantTitle !== "Default Title" ? line.variantTitle : null].filter(Boolean).join(" — ");
            return (
              <IndexTable.Row
                id={line.lineId}
                key={line.lineId}
                position={index}
                tone={waitingRecount ? "warning" : undefined}
                onClick={counting ? () => pick(line.lineId) : undefined}
              >
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {line.warehouseSku}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" tone={title ? undefined : "subdued"}>
                    {title || t("counts.sheet.noProduct")}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{line.barcode ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>{line.bin ?? "—"}</IndexTable.Cell>
                {showExpected ? (
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric tone="subdued">
                      {formatUnits(line.expectedQuantity, locale)}
                    </Text>
                  </IndexTable.Cell>
                ) : null}
                <IndexTable.Cell>
                  <Text
                    as="span"
                    alignment="end"
                    numeric
                    fontWeight={line.countedQuantity != null ? "semibold" : undefined}
                    tone={line.countedQuantity == null ? "subdued" : undefined}
                  >
                    {line.countedQuantity == null ? t("counts.sheet.notCounted") : formatUnits(line.countedQuantity, locale)}
                  </Text>
                </IndexTable.Cell>
                {showRecount ? (
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric tone={waitingRecount ? "caution" : undefined}>
                      {line.recountQuantity != null ? formatUnits(line.recountQuantity, locale) : line.recountRequested ? t("counts.sheet.recountAsked") : "—"}
                    </Text>
                  </IndexTable.Cell>
                ) : null}
                <IndexTable.Cell>
                  {line.countedBy ? (
                    <BlockStack gap="0">
                      <Text as="span" variant="bodySm">
                        {actorText(line.countedBy, t)}
                      </Text>
                      {line.recountedAt ?? line.countedAt ? (
                        <Text as="span" variant="bodySm" tone="subdued">
                          {formatMoment(line.recountedAt ?? line.countedAt!, locale, timeZone)}
                        </Text>
                      ) : null}
                    </BlockStack>
                  ) : (
                    "—"
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            );
          })}
        </IndexTable>
      </BlockStack>
    </Card>
  );
}
