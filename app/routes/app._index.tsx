import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Button, Card, DataTable, EmptyState, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, type ReactNode } from "react";
import emptyStateImage from "../assets/empty-state.svg?url";
import { CountAccuracyCard } from "../components/counts/CountAccuracyCard";
import { FreshnessBar, LatencyBars } from "../components/HealthCharts";
import { formatDateTime, isMessageKey, useLocale, useT } from "../i18n";
import { formatDuration, relativeTime } from "../i18n/relative-time";
import { dashboardCountAccuracy } from "../models/counts/report.server";
import { scheduleDailyCountRun } from "../models/counts/scheduler.server";
import { loadShopHealth, retryFailedTask, type FailedTask, type OpenAlert, type ShopHealth } from "../models/shop-health.server";
import { authenticate } from "../shopify.server";

/** The Dashboard's count accuracy covers the counts of the last month. */
const COUNT_ACCURACY_DAYS = 30;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [health, countAccuracy] = await Promise.all([loadShopHealth(session.shop), dashboardCountAccuracy(session.shop, { days: COUNT_ACCURACY_DAYS })]);
  // Counts are planned daily; asking again while the next run waits adds nothing.
  if (health.warehouseConnections.total > 0) await scheduleDailyCountRun(session.shop);
  return { ...health, countAccuracy };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const jobId = form.get("jobId");
  if (form.get("intent") !== "retry-task" || typeof jobId !== "string" || jobId === "") {
    return data({ retried: false }, { status: 400 });
  }
  return { retried: await retryFailedTask(session.shop, jobId) };
};

const ALERT_TONE = { info: "info", warning: "warning", critical: "critical" } as const;

function CardNote({ children }: { children: string }) {
  return (
    <Text as="p" variant="bodyMd">
      {children}
    </Text>
  );
}

/** A card of the Dashboard's grids: what it counts, under its heading. */
function StatCard({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {heading}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

function BigNumber({ value }: { value: number }) {
  const locale = useLocale();
  return (
    <Text as="p" variant="heading2xl">
      {new Intl.NumberFormat(locale).format(value)}
    </Text>
  );
}

interface FailedTaskRowProps {
  task: FailedTask;
  timeZone: string;
  retrying: boolean;
  onRetry: () => void;
}

function FailedTaskRow({ task, timeZone, retrying, onRetry }: FailedTaskRowProps) {
  const t = useT();
  const locale = useLocale();
  return (
    <InlineStack align="space-between" blockAlign="center" gap="400" wrap={false}>
      <BlockStack gap="100">
        <Text as="p" variant="bodyMd" fontWeight="semibold">
          <code>{task.type}</code>
        </Text>
        {task.stoppedAt ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {t("dashboard.jobs.stopped", {
              attempts: task.attempts,
              time: formatDateTime(task.stoppedAt, locale, timeZone),
            })}
          </Text>
        ) : null}
        {task.lastError ? (
          <Text as="p" variant="bodySm" tone="critical" breakWord>
            {task.lastError}
          </Text>
        ) : null}
      </BlockStack>
      <Button loading={retrying} onClick={onRetry}>
        {t("dashboard.jobs.retry")}
      </Button>
    </InlineStack>
  );
}

function AlertRow({ alert, timeZone }: { alert: OpenAlert; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const tone = ALERT_TONE[alert.severity as keyof typeof ALERT_TONE];
  const kindKey = `alerts.kind.${alert.kind}`;
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={tone}>{isMessageKey(kindKey) ? t(kindKey) : alert.kind}</Badge>
        <Text as="span" variant="bodySm" tone="subdued">
          {formatDateTime(alert.createdAt, locale, timeZone)}
        </Text>
      </InlineStack>
      <Text as="p" variant="bodySm" breakWord>
        {alert.message}
      </Text>
    </BlockStack>
  );
}

function percent(share: number | null, locale: string): string {
  return share == null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(share);
}

function IntegrationsCard({ integrations }: { integrations: ShopHealth["integrations"] }) {
  const t = useT();
  const locale = useLocale();
  const count = new Intl.NumberFormat(locale);
  const named = integrations.map((i) => ({ ...i, name: i.name ?? t("health.integration.shopify") }));
  const duration = (ms: number | null) => (ms == null ? "—" : formatDuration(ms, locale));
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("health.integrations.heading")}
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={[
            t("health.integrations.integration"),
            t("health.integrations.calls"),
            t("health.integrations.successRate"),
            t("health.integrations.p50"),
            t("health.integrations.p95"),
            t("health.integrations.rateLimitWaits"),
          ]}
          rows={named.map((i) => [
            i.name,
            count.format(i.calls),
            percent(i.successRate, locale),
            duration(i.p50Ms),
            duration(i.p95Ms),
            i.rateLimitWaits > 0
              ? t("health.integrations.waited", { count: i.rateLimitWaits, time: formatDuration(i.rateLimitWaitMs, locale) })
              : count.format(0),
          ])}
        />
        <LatencyBars integrations={named} />
      </BlockStack>
    </Card>
  );
}

function QueueCards({ health }: { health: ShopHealth }) {
  const t = useT();
  const locale = useLocale();
  const { freshness, webhookQueue, syncQueue, reconciler, generatedAt, timeZone } = health;
  const ago = (iso: string) => relativeTime(iso, generatedAt, locale);
  return (
    <InlineGrid columns={{ xs: 1, md: 2, lg: 4 }} gap="400">
      <StatCard heading={t("health.freshness.heading")}>
        {freshness.mapped === 0 ? (
          <CardNote>{t("health.freshness.noSkus")}</CardNote>
        ) : (
          <>
            <Text as="p" variant="heading2xl">
              {percent(freshness.withinFiveMinutes / freshness.mapped, locale)}
            </Text>
            <CardNote>{t("health.freshness.share", { count: freshness.withinFiveMinutes, total: freshness.mapped })}</CardNote>
            <FreshnessBar withinFiveMinutes={freshness.withinFiveMinutes} withinOneHour={freshness.withinOneHour} older={freshness.older} />
            <Text as="p" variant="bodySm" tone={freshness.never > 0 ? "critical" : "subdued"}>
              {freshness.never > 0
                ? t("health.freshness.never", { count: freshness.never })
                : freshness.oldestConfirmedAt
                  ? t("health.freshness.oldest", { time: ago(freshness.oldestConfirmedAt) })
                  : ""}
            </Text>
          </>
        )}
      </StatCard>
      <StatCard heading={t("health.webhooks.heading")}>
        <BigNumber value={webhookQueue.waiting} />
        {webhookQueue.oldestWaitingSince ? (
          <CardNote>{t("health.webhooks.oldest", { time: ago(webhookQueue.oldestWaitingSince) })}</CardNote>
        ) : (
          <CardNote>{t("health.webhooks.noneWaiting")}</CardNote>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          {webhookQueue.lagP95Ms == null
            ? t("health.webhooks.noLag")
            : t("health.webhooks.lag", { time: formatDuration(webhookQueue.lagP95Ms, locale), count: webhookQueue.processedLastHour })}
        </Text>
      </StatCard>
      <StatCard heading={t("health.sync.heading")}>
        <BigNumber value={syncQueue.dirty} />
        <CardNote>
          {syncQueue.oldestDirtySince ? t("health.sync.oldest", { time: ago(syncQueue.oldestDirtySince) }) : t("health.sync.none")}
        </CardNote>
      </StatCard>
      <StatCard heading={t("health.reconciler.heading")}>
        {reconciler ? (
          <>
            <BigNumber value={reconciler.driftFound} />
            <CardNote>
              {t(reconciler.kind === "full" ? "health.reconciler.full" : "health.reconciler.delta", {
                time: formatDateTime(reconciler.finishedAt ?? reconciler.startedAt, locale, timeZone),
                checked: reconciler.itemsChecked,
              })}
            </CardNote>
            <Text as="p" variant="bodySm" tone={reconciler.status === "failed" ? "critical" : "subdued"}>
              {reconciler.status === "failed"
                ? t("health.reconciler.failed")
                : reconciler.status === "running"
                  ? t("health.reconciler.running")
                  : t("health.reconciler.healed", { healed: reconciler.healed, found: reconciler.driftFound })}
            </Text>
          </>
        ) : (
          <CardNote>{t("health.reconciler.none")}</CardNote>
        )}
      </StatCard>
    </InlineGrid>
  );
}

export default function Dashboard() {
  const health = useLoaderData<typeof loader>();
  const t = useT();
  const { warehouseConnections, shopifyEventsLast24h, failedTasks, openAlerts, timeZone } = health;
  const shopify = useAppBridge();
  // One fetcher for the whole list: a retried task leaves the list, so its row cannot report back.
  const retry = useFetcher<typeof action>();
  const retryingJobId = retry.state === "idle" ? undefined : retry.formData?.get("jobId");

  useEffect(() => {
    if (retry.state !== "idle" || !retry.data) return;
    shopify.toast.show(t(retry.data.retried ? "dashboard.jobs.retried" : "dashboard.jobs.notRetried"), {
      isError: !retry.data.retried,
    });
  }, [retry.state, retry.data, shopify, t]);

  return (
    <Page>
      <TitleBar title={t("dashboard.title")} />
      <Layout>
        {warehouseConnections.total === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState
                heading={t("dashboard.connect.heading")}
                action={{ content: t("common.goToSettings"), url: "/app/settings" }}
                image={emptyStateImage}
              >
                <p>{t("dashboard.connect.body")}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <StatCard heading={t("dashboard.warehouses.heading")}>
              <BigNumber value={warehouseConnections.total} />
              {warehouseConnections.total > 0 ? (
                warehouseConnections.needingAttention > 0 ? (
                  <Text as="p" variant="bodyMd" tone="critical">
                    {t("dashboard.warehouses.needingAttention", { count: warehouseConnections.needingAttention })}
                  </Text>
                ) : (
                  <CardNote>{t("dashboard.warehouses.allHealthy")}</CardNote>
                )
              ) : null}
            </StatCard>
            <StatCard heading={t("dashboard.webhooks.heading")}>
              <BigNumber value={shopifyEventsLast24h.received} />
              <Text as="p" variant="bodyMd" tone={shopifyEventsLast24h.failed > 0 ? "critical" : undefined}>
                {t("dashboard.webhooks.failed", { count: shopifyEventsLast24h.failed })}
              </Text>
            </StatCard>
            <StatCard heading={t("dashboard.alerts.heading")}>
              <BigNumber value={openAlerts.total} />
              {openAlerts.total === 0 ? <CardNote>{t("dashboard.alerts.none")}</CardNote> : null}
            </StatCard>
          </InlineGrid>
        </Layout.Section>
        {warehouseConnections.total > 0 ? (
          <Layout.Section>
            <CountAccuracyCard accuracy={health.countAccuracy} days={COUNT_ACCURACY_DAYS} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <QueueCards health={health} />
        </Layout.Section>
        <Layout.Section>
          <IntegrationsCard integrations={health.integrations} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {t("dashboard.jobs.heading")}
                </Text>
                {failedTasks.total > 0 ? <Badge tone="critical">{String(failedTasks.total)}</Badge> : null}
              </InlineStack>
              {failedTasks.total === 0 ? (
                <CardNote>{t("dashboard.jobs.none")}</CardNote>
              ) : (
                <BlockStack gap="400">
                  {failedTasks.latest.map((task) => (
                    <FailedTaskRow
                      key={task.id}
                      task={task}
                      timeZone={timeZone}
                      retrying={retryingJobId === task.id}
                      onRetry={() => retry.submit({ intent: "retry-task", jobId: task.id }, { method: "post" })}
                    />
                  ))}
                  {failedTasks.total > failedTasks.latest.length ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t("dashboard.jobs.more", { shown: failedTasks.latest.length, total: failedTasks.total })}
                    </Text>
                  ) : null}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        {openAlerts.latest.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {t("dashboard.alerts.heading")}
                </Text>
                {openAlerts.latest.map((alert) => (
                  <Box key={alert.id}>
                    <AlertRow alert={alert} timeZone={timeZone} />
                  </Box>
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
