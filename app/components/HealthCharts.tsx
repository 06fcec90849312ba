// Small inline-SVG charts for the Dashboard, in Polaris colours, no chart library. Each is an image
// with a text alternative (the same figures are also printed next to it).
import { BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import { useLocale, useT } from "../i18n";
import { formatDuration } from "../i18n/relative-time";

const FRESH = "var(--p-color-bg-fill-success)";
const RECENT = "var(--p-color-bg-fill-caution)";
const STALE = "var(--p-color-bg-fill-critical)";
const P50 = "var(--p-color-bg-fill-emphasis)";
const P95 = "var(--p-color-bg-fill-info)";

function Swatch({ color, label }: { color: string; label: string }) {
  return (
    <InlineStack gap="100" blockAlign="center" wrap={false}>
      <svg width="10" height="10" aria-hidden="true" focusable="false">
        <rect width="10" height="10" rx="2" fill={color} />
      </svg>
      <Text as="span" variant="bodySm">
        {label}
      </Text>
    </InlineStack>
  );
}

/** One bar split into "confirmed in the last 5 minutes / the last hour / earlier". */
export function FreshnessBar({ withinFiveMinutes, withinOneHour, older }: { withinFiveMinutes: number; withinOneHour: number; older: number }) {
  const t = useT();
  const total = withinFiveMinutes + withinOneHour + older;
  if (total === 0) return null;
  const parts = [
    { value: withinFiveMinutes, color: FRESH, label: t("health.freshness.withinFiveMinutes", { count: withinFiveMinutes }) },
    { value: withinOneHour, color: RECENT, label: t("health.freshness.withinOneHour", { count: withinOneHour }) },
    { value: older, color: STALE, label: t("health.freshness.older", { count: older }) },
  ];
  let x = 0;
  return (
    <BlockStack gap="200">
      <svg viewBox="0 0 100 8" preserveAspectRatio="none" width="100%" height="12" role="img" aria-label={parts.map((p) => p.label).join(", ")}>
        {parts.map((part) => {
          const width = (part.value / total) * 100;
          const rect = <rect key={part.color} x={x} y={0} width={width} height={8} fill={part.color} />;
          x += width;
          return rect;
        })}
      </svg>
      <InlineStack gap="300">
        {parts.map((part) => (
          <Swatch key={part.color} color={part.color} label={part.label} />
        ))}
      </InlineStack>
    </BlockStack>
  );
}

export interface LatencyBar {
  name: string;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** p50 and p95 latency per integration, on one scale, so the slow one stands out. */
export function LatencyBars({ integrations }: { integrations: LatencyBar[] }) {
  const t = useT();
  const locale = useLocale();
  const measured = integrations.filter((i) => i.p95Ms != null);
  if (!measured.length) return null;
  const max = Math.max(1, ...measured.map((i) => i.p95Ms!));
  const describe = (i: LatencyBar) =>
    t("health.latency.alt", { integration: i.name, p50: formatDuration(i.p50Ms ?? 0, locale), p95: formatDuration(i.p95Ms ?? 0, locale) });
  return (
    <BlockStack gap="200">
      {measured.map((i) => (
        <BlockStack key={i.name} gap="050">
          <InlineStack align="space-between">
            <Text as="span" variant="bodySm">
              {i.name}
            </Text>
            <Text as="span" variant="bodySm" tone="subdued" numeric>
              {`${formatDuration(i.p50Ms ?? 0, locale)} / ${formatDuration(i.p95Ms!, locale)}`}
            </Text>
          </InlineStack>
          <Box>
            <svg viewBox="0 0 100 10" preserveAspectRatio="none" width="100%" height="14" role="img" aria-label={describe(i)}>
              <rect x={0} y={0} width={(i.p95Ms! / max) * 100} height={10} rx={1} fill={P95} />
              <rect x={0} y={2} width={((i.p50Ms ?? 0) / max) * 100} height={6} rx={1} fill={P50} />
            </svg>
          </Box>
        </BlockStack>
      ))}
      <InlineStack gap="300">
        <Swatch color={P50} label={t("health.latency.p50")} />
        <Swatch color={P95} label={t("health.latency.p95")} />
      </InlineStack>
    </BlockStack>
  );
}
