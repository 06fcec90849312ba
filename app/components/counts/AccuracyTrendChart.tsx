// Count accuracy by week against the shop's target, as an inline SVG in Polaris colours (no chart
// library, like HealthCharts.tsx): line accuracy and unit accuracy, the target as a dashed line.
// Weeks without counts leave a gap rather than joining distant weeks. The same figures are in the
// image's text alternative.
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { useLocale, useT } from "../../i18n";
import { formatDay, formatPercent } from "./count-text";

const LINE = "var(--p-color-bg-fill-emphasis)";
const UNIT = "var(--p-color-bg-fill-info)";
const TARGET = "var(--p-color-bg-fill-critical)";
const GRID = "var(--p-color-border-secondary)";

export interface TrendWeek {
  week: string;
  monday: string;
  linesCounted: number;
  lineAccuracy: { ratio: number; percent: string } | null;
  unitAccuracy: { ratio: number; percent: string } | null;
}

const WIDTH = 1000;
const HEIGHT = 240;
const PAD = { left: 44, right: 32, top: 12, bottom: 28 };

function Swatch({ color, label, dashed }: { color: string; label: string; dashed?: boolean }) {
  return (
    <InlineStack gap="100" blockAlign="center" wrap={false}>
      <svg width="18" height="10" aria-hidden="true" focusable="false">
        <line x1="0" y1="5" x2="18" y2="5" stroke={color} strokeWidth="3" strokeDasharray={dashed ? "4 3" : undefined} />
      </svg>
      <Text as="span" variant="bodySm">
        {label}
      </Text>
    </InlineStack>
  );
}

/** Pieces of a polyline, broken where a week has no figure. */
function segments(points: Array<[number, number] | null>): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  for (const point of points) {
    if (point) current.push(`${point[0].toFixed(1)},${point[1].toFixed(1)}`);
    else if (current.length) {
      parts.push(current.join(" "));
      current = [];
    }
  }
  if (current.length) parts.push(current.join(" "));
  return parts;
}

export function AccuracyTrendChart({ weeks, targetPercent, timeZone }: { weeks: TrendWeek[]; targetPercent: string; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const target = Number(targetPercent) / 100;
  const values = weeks.flatMap((w) => [w.lineAccuracy?.ratio, w.unitAccuracy?.ratio]).filter((v): v is number => v != null);
  if (!values.length) {
    return (
      <Text as="p" tone="subdued">
        {t("discrepancies.trend.empty")}
      </Text>
    );
  }
  // The scale starts a little below the lowest figure (or the target), in whole percents.
  const low = Math.max(0, Math.floor((Math.min(target, ...values) - 0.005) * 100) / 100);
  const bottom = Math.min(low, 0.99);
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (weeks.length === 1 ? innerW / 2 : (i * innerW) / (weeks.length - 1));
  const y = (ratio: number) => PAD.top + ((1 - ratio) / (1 - bottom)) * innerH;
  const ticks = [bottom, bottom + (1 - bottom) / 2, 1];
  const labelEvery = Math.max(1, Math.ceil(weeks.length / 8));
  const lineParts = segments(weeks.map((w, i) => (w.lineAccuracy ? [x(i), y(w.lineAccuracy.ratio)] : null)));
  const unitParts = segments(weeks.map((w, i) => (w.unitAccuracy ? [x(i), y(w.unitAccuracy.ratio)] : null)));
  const alt = t("discrepancies.trend.alt", {
    target: formatPercent(targetPercent, locale),
    weeks: weeks
      .filter((w) => w.lineAccuracy)
      .map((w) =>
        t("discrepancies.trend.altWeek", {
          week: formatDay(w.monday, locale, timeZone),
          lines: formatPercent(w.lineAccuracy!.percent, locale),
          units: formatPercent(w.unitAccuracy?.percent, locale),
        })
      )
      .join("; "),
  });

  return (
    <BlockStack gap="200">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={alt}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke={GRID} strokeWidth="1" />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" fontSize="11" fill="var(--p-color-text-secondary)">
              {`${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(tick * 100)}%`}
            </text>
          </g>
        ))}
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(target)} y2={y(target)} stroke={TARGET} strokeWidth="1.5" strokeDasharray="6 4" />
        {unitParts.map((points) => (
          <polyline key={`u${points}`} points={points} fill="none" stroke={UNIT} strokeWidth="2" />
        ))}
        {lineParts.map((points) => (
          <polyline key={`l${points}`} points={points} fill="none" stroke={LINE} strokeWidth="2.5" />
        ))}
        {weeks.map((w, i) => (w.unitAccuracy ? <circle key={`u${w.week}`} cx={x(i)} cy={y(w.unitAccuracy.ratio)} r="2.5" fill={UNIT} /> : null))}
        {weeks.map((w, i) => (w.lineAccuracy ? <circle key={w.week} cx={x(i)} cy={y(w.lineAccuracy.ratio)} r="3.5" fill={LINE} /> : null))}
        {weeks.map((w, i) =>
          i % labelEvery === 0 || i === weeks.length - 1 ? (
            <text key={`x${w.week}`} x={x(i)} y={HEIGHT - 8} textAnchor="middle" fontSize="11" fill="var(--p-color-text-secondary)">
              {new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${w.monday}T12:00:00Z`))}
            </text>
          ) : null
        )}
      </svg>
      <InlineStack gap="400">
        <Swatch color={LINE} label={t("discrepancies.trend.lineAccuracy")} />
        <Swatch color={UNIT} label={t("discrepancies.trend.unitAccuracy")} />
        <Swatch color={TARGET} label={t("discrepancies.trend.target", { target: formatPercent(targetPercent, locale) })} dashed />
      </InlineStack>
    </BlockStack>
  );
}
