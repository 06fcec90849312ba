// The Dashboard's count accuracy: line and unit accuracy of the counts of the last days against the
// shop's target, with the way to the Discrepancies report.
import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useLocale, useT } from "../../i18n";
import type { DashboardAccuracy } from "../../models/counts/report.server";
import { formatPercent, formatUnits } from "./count-text";

export function CountAccuracyCard({ accuracy, days }: { accuracy: DashboardAccuracy; days: number }) {
  const t = useT();
  const locale = useLocale();
  const line = accuracy.lineAccuracy;
  const unit = accuracy.unitAccuracy;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("dashboard.countAccuracy.heading", { days })}
          </Text>
          {line ? <Badge tone={line.meetsTarget ? "success" : "critical"}>{t(line.meetsTarget ? "discrepancies.kpi.meetsTarget" : "discrepancies.kpi.belowTarget")}</Badge> : null}
        </InlineStack>
        {line ? (
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <BlockStack gap="100">
              <Text as="p" variant="bodySm" tone="subdued">
                {t("discrepancies.kpi.lineAccuracy")}
              </Text>
              <Text as="p" variant="heading2xl" tone={line.meetsTarget ? "success" : "critical"}>
                {formatPercent(line.percent, locale)}
              </Text>
            </BlockStack>
            <BlockStack gap="100">
              <Text as="p" variant="bodySm" tone="subdued">
                {t("discrepancies.kpi.unitAccuracy")}
              </Text>
              <Text as="p" variant="heading2xl" tone={unit?.meetsTarget ? "success" : "critical"}>
                {formatPercent(unit?.percent, locale)}
              </Text>
            </BlockStack>
            <BlockStack gap="100">
              <Text as="p" variant="bodySm" tone="subdued">
                {t("dashboard.countAccuracy.target")}
              </Text>
              <Text as="p" variant="heading2xl">
                {formatPercent(accuracy.targetPercent, locale)}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {t("dashboard.countAccuracy.lines", { count: formatUnits(accuracy.linesCounted, locale) })}
              </Text>
            </BlockStack>
          </InlineGrid>
        ) : (
          <Text as="p">{t("dashboard.countAccuracy.none", { days })}</Text>
        )}
        <InlineStack gap="200">
          <Button url="/app/discrepancies">{t("dashboard.countAccuracy.open")}</Button>
          {line ? null : (
            <Button variant="plain" url="/app/counts">
              {t("dashboard.countAccuracy.plan")}
            </Button>
          )}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
