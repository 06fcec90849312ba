import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { useCallback, useState } from "react";
import { AccuracyTrendChart } from "../components/counts/AccuracyTrendChart";
import { formatDay, formatMoney, formatPercent, formatSignedUnits, formatUnits } from "../components/counts/count-text";
import { downloadFile } from "../components/download-file";
import { UpcomingPage } from "../components/UpcomingPage";
import { useLocale, useT, type MessageKey } from "../i18n";
import { ABC_CLASSES } from "../counts/abc-count";
import type { Accuracy, VarianceTotals } from "../counts/discrepancy-report";
import { VARIANCE_REASONS } from "../counts/variance";
import { countPageContext } from "../models/counts/count-pages.server";
import { discrepancyParams, parseDiscrepancyQuery, REPORT_PERIODS, reportQuery, type DiscrepancyPageQuery } from "../models/counts/discrepancy-query";
import { loadDiscrepancyReport } from "../models/counts/report.server";
import { getCountTaskSummary, listCountTasks } from "../models/counts/tasks.server";
import { authenticate } from "../shopify.server";

/** Counts offered in the "one count" choice: the latest handed in. */
const COUNTS_OFFERED = 50;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const query = parseDiscrepancyQuery(new URL(request.url).searchParams);
  const now = new Date();
  const [context, view, counts] = await Promise.all([
    countPageContext(shop),
    loadDiscrepancyReport(shop, reportQuery(query, now)),
    listCountTasks(shop, { status: ["submitted", "review", "approved", "posted"], pageSize: COUNTS_OFFERED }),
  ]);
  // The count asked for, even when it is older than the latest ones offered.
  const chosen = query.taskId ? counts.tasks.find((task) => task.id === query.taskId) ?? (await getCountTaskSummary(shop, query.taskId).catch(() => undefined)) : undefined;
  if (chosen && !counts.tasks.some((task) => task.id === chosen.id)) counts.tasks.push(chosen);
  return {
    query,
    report: view.report,
    counts: view.counts,
    linesWarehouseNotAdjusted: view.linesWarehouseNotAdjusted,
    warehouseNames: Object.fromEntries(view.warehouses.map((w) => [w.id, w.name])),
    countChoices: counts.tasks.map((task) => ({
      id: task.id,
      label: task.label,
      kind: task.kind,
      warehouseName: task.warehouseName,
      at: task.postedAt ?? task.approvedAt ?? task.submittedAt ?? task.createdAt,
    })),
    chosenLabel: chosen?.label ?? null,
    context,
  };
};

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function Kpi({
  title,
  value,
  detail,
  tone,
  badge,
  action,
}: {
  title: string;
  value: string;
  detail?: string;
  tone?: "critical" | "success";
  badge?: { tone: "success" | "critical"; text: string };
  action?: { content: string; url: string };
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h3" variant="headingSm">
            {title}
          </Text>
          {badge ? <Badge tone={badge.tone}>{badge.text}</Badge> : null}
        </InlineStack>
        <Text as="p" variant="heading2xl" tone={tone}>
          {value}
        </Text>
        {detail ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        ) : null}
        {action ? (
          <InlineStack>
            <Button variant="plain" url={action.url}>
              {action.content}
            </Button>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function AccuracyKpi({ title, accuracy, target, help }: { title: string; accuracy: Accuracy | null; target: string; help: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Kpi
      title={title}
      value={formatPercent(accuracy?.percent, locale)}
      tone={accuracy ? (accuracy.meetsTarget ? "success" : "critical") : undefined}
      badge={
        accuracy
          ? { tone: accuracy.meetsTarget ? "success" : "critical", text: t(accuracy.meetsTarget ? "discrepancies.kpi.meetsTarget" : "discrepancies.kpi.belowTarget") }
          : undefined
      }
      detail={`${t("discrepancies.kpi.target", { target: formatPercent(target, locale) })} · ${help}`}
    />
  );
}

function Kpis({ page }: { page: LoaderData }) {
  const t = useT();
  const locale = useLocale();
  const { totals, targetPercent } = page.report;
  const money = (value: string, signed = false) => formatMoney(value, page.context.currency, locale, signed);
  const byClass = page.report.overdueByClass;
  const overdue = byClass.A + byClass.B + byClass.C + byClass.unclassified;
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
      <AccuracyKpi title={t("discrepancies.kpi.lineAccuracy")} accuracy={totals.lineAccuracy} target={targetPercent} help={t("discrepancies.kpi.lineAccuracyHelp")} />
      <AccuracyKpi title={t("discrepancies.kpi.unitAccuracy")} accuracy={totals.unitAccuracy} target={targetPercent} help={t("discrepancies.kpi.unitAccuracyHelp")} />
      <Kpi title={t("discrepancies.kpi.linesCounted")} value={formatUnits(totals.linesCounted, locale)} detail={t("discrepancies.kpi.inCounts", { count: page.counts })} />
      <Kpi
        title={t("discrepancies.kpi.linesWithVariance")}
        value={formatUnits(totals.linesWithVariance, locale)}
        detail={totals.linesWithoutCost ? t("discrepancies.kpi.withoutCost", { count: totals.linesWithoutCost }) : undefined}
      />
      <Kpi
        title={t("discrepancies.kpi.units")}
        value={`${formatSignedUnits(totals.unitsOver, locale)} / ${formatSignedUnits(-totals.unitsShort, locale)}`}
        detail={t("discrepancies.kpi.unitsDetail", { over: formatUnits(totals.unitsOver, locale), short: formatUnits(totals.unitsShort, locale) })}
      />
      <Kpi
        title={t("discrepancies.kpi.value")}
        value={money(totals.valueNet, true)}
        tone={Number(totals.valueNet) < 0 ? "critical" : undefined}
        detail={t("discrepancies.kpi.valueDetail", { over: money(totals.valueOver), short: money(totals.valueShort) })}
      />
      <Kpi
        title={t("discrepancies.kpi.netShrink")}
        value={money(totals.netShrinkValue)}
        tone={Number(totals.netShrinkValue) > 0 ? "critical" : undefined}
        detail={t(totals.netShrinkUnits < 0 ? "discrepancies.kpi.netGainDetail" : "discrepancies.kpi.netShrinkDetail", {
          units: formatUnits(Math.abs(totals.netShrinkUnits), locale),
        })}
      />
      <Kpi
        title={t("discrepancies.overdue.heading")}
        value={formatUnits(overdue, locale)}
        tone={overdue ? "critical" : undefined}
        detail={t("discrepancies.overdue.byClass", { a: byClass.A, b: byClass.B, c: byClass.C, none: byClass.unclassified })}
        action={overdue ? { content: t("discrepancies.overdue.open"), url: "/app/counts?due=overdue" } : undefined}
      />
    </InlineGrid>
  );
}

function ReasonTable({ page }: { page: LoaderData }) {
  const t = useT();
  const locale = useLocale();
  const rows = ([...VARIANCE_REASONS, "none"] as const)
    .map((reason) => [reason, page.report.byReason[reason]] as const)
    .filter(([, totals]) => totals.linesWithVariance > 0)
    .map(([reason, totals]: readonly [string, VarianceTotals]) => [
      t(`discrepancies.reason.${reason}` as MessageKey),
      formatUnits(totals.linesWithVariance, locale),
      formatSignedUnits(totals.unitsOver, locale),
      formatSignedUnits(-totals.unitsShort, locale),
      formatMoney(totals.valueNet, page.context.currency, locale, true),
    ]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("discrepancies.byReason.heading")}
        </Text>
        {rows.length ? (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={[
              t("discrepancies.column.reason"),
              t("discrepancies.column.lines"),
              t("discrepancies.column.over"),
              t("discrepancies.column.short"),
              t("discrepancies.column.value"),
            ]}
            rows={rows}
          />
        ) : (
          <Text as="p" tone="subdued">
            {t("discrepancies.none")}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

function WorstTable({ page, kind }: { page: LoaderData; kind: "sku" | "bin" }) {
  const t = useT();
  const locale = useLocale();
  const entries = kind === "sku" ? page.report.worstSkus : page.report.worstBins;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t(kind === "sku" ? "discrepancies.worstSkus.heading" : "discrepancies.worstBins.heading")}
        </Text>
        {entries.length ? (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
            headings={[
              t(kind === "sku" ? "discrepancies.column.sku" : "discrepancies.column.bin"),
              t("discrepancies.column.warehouse"),
              t("discrepancies.column.linesVaried"),
              t("discrepancies.column.units"),
              t("discrepancies.column.value"),
            ]}
            rows={entries.map((entry) => [
              entry.name,
              page.warehouseNames[entry.warehouseId] ?? "—",
              `${formatUnits(entry.linesWithVariance, locale)} / ${formatUnits(entry.lines, locale)}`,
              formatSignedUnits(entry.unitsNet, locale),
              formatMoney(entry.valueNet, page.context.currency, locale, true),
            ])}
          />
        ) : (
          <Text as="p" tone="subdued">
            {t("discrepancies.none")}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Discrepancies() {
  const page = useLoaderData<typeof loader>();
  const { query, report, context } = page;
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [exporting, setExporting] = useState(false);

  const go = useCallback(
    (changes: Partial<DiscrepancyPageQuery>) => {
      const next = discrepancyParams({ ...query, ...changes });
      navigate(`/app/discrepancies${next.size ? `?${next}` : ""}`, { preventScrollReset: true });
    },
    [navigate, query]
  );
  const params = discrepancyParams(query).toString();
  const exportCsv = useCallback(async () => {
    setExporting(true);
    try {
      await downloadFile(`/app/discrepancies/export${params ? `?${params}` : ""}`, page.chosenLabel ? `discrepancies-${page.chosenLabel}.csv` : "discrepancies.csv");
    } finally {
      setExporting(false);
    }
  }, [params, page.chosenLabel]);

  if (!context.warehouses.length) {
    return <UpcomingPage title="discrepancies.title" heading="discrepancies.empty.heading" body="discrepancies.empty.body" />;
  }

  const scope = page.chosenLabel ? t("discrepancies.scope.count", { label: page.chosenLabel }) : t("discrepancies.scope.period", { weeks: query.weeks });
  return (
    <Page fullWidth title={t("discrepancies.title")} subtitle={scope}>
      <TitleBar title={t("discrepancies.title")}>
        <button onClick={exportCsv} disabled={exporting}>
          {t("discrepancies.export")}
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <Card>
            <InlineGrid columns={{ xs: 1, sm: 2, lg: 5 }} gap="300">
              <Select
                label={t("discrepancies.filter.period")}
                options={REPORT_PERIODS.map((weeks) => ({ label: t("discrepancies.filter.weeks", { weeks }), value: String(weeks) }))}
                value={String(query.weeks)}
                onChange={(value) => go({ weeks: Number(value) as DiscrepancyPageQuery["weeks"], taskId: null })}
                disabled={query.taskId != null}
              />
              <Select
                label={t("discrepancies.filter.count")}
                options={[
                  { label: t("discrepancies.filter.allCounts"), value: "" },
                  ...page.countChoices.map((count) => ({
                    label: `${count.label} · ${t(`counts.kind.${count.kind}` as MessageKey)} · ${count.warehouseName ?? ""} · ${formatDay(count.at, locale, context.timeZone)}`,
                    value: count.id,
                  })),
                ]}
                value={query.taskId ?? ""}
                onChange={(value) => go({ taskId: value || null })}
              />
              <Select
                label={t("discrepancies.filter.warehouse")}
                options={[{ label: t("discrepancies.filter.allWarehouses"), value: "" }, ...context.warehouses.map((w) => ({ label: w.name, value: w.id }))]}
                value={query.warehouseId ?? ""}
                onChange={(value) => go({ warehouseId: value || null })}
              />
              <Select
                label={t("discrepancies.filter.class")}
                options={[
                  { label: t("discrepancies.filter.allClasses"), value: "" },
                  ...ABC_CLASSES.map((klass) => ({ label: t("discrepancies.filter.classOption", { class: klass }), value: klass })),
                ]}
                value={query.abcClass ?? ""}
                onChange={(value) => go({ abcClass: (value || null) as DiscrepancyPageQuery["abcClass"] })}
              />
              <Select
                label={t("discrepancies.filter.reason")}
                options={[
                  { label: t("discrepancies.filter.allReasons"), value: "" },
                  ...VARIANCE_REASONS.map((reason) => ({ label: t(`discrepancies.reason.${reason}` as MessageKey), value: reason })),
                ]}
                value={query.reason ?? ""}
                onChange={(value) => go({ reason: (value || null) as DiscrepancyPageQuery["reason"] })}
              />
            </InlineGrid>
          </Card>
        </Layout.Section>
        {page.linesWarehouseNotAdjusted > 0 ? (
          <Layout.Section>
            <Banner tone="warning" title={t("discrepancies.notAdjusted.title", { count: page.linesWarehouseNotAdjusted })}>
              <p>{t("discrepancies.notAdjusted.body")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {report.totals.linesCounted === 0 ? (
          <Layout.Section>
            <Banner tone="info" title={t("discrepancies.noCounts.title")}>
              <p>{t(page.chosenLabel ? "discrepancies.noCounts.count" : "discrepancies.noCounts.period")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <div style={{ opacity: navigation.state === "loading" ? 0.6 : 1 }}>
            <Kpis page={page} />
          </div>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  {t("discrepancies.trend.heading")}
                </Text>
                <Text as="span" variant="bodySm" tone="subdued">
                  {t("discrepancies.trend.note")}
                </Text>
              </InlineStack>
              <AccuracyTrendChart weeks={report.trend} targetPercent={report.targetPercent} timeZone={context.timeZone} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
            <WorstTable page={page} kind="sku" />
            <WorstTable page={page} kind="bin" />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <ReasonTable page={page} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
