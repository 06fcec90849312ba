import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Button, Card, IndexTable, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { useEffect, type ReactNode } from "react";
import { CountStatusBadge, OverdueBadge } from "../components/counts/CountBadges";
import { actorText, formatDay, formatMoment, planSummary } from "../components/counts/count-text";
import { ListPageTable, singleChoiceFilter, useListNavigation } from "../components/ListPageTable";
import { UpcomingPage } from "../components/UpcomingPage";
import { useLocale, useT, type MessageKey } from "../i18n";
import { COUNT_TASK_STATUSES } from "../counts/task-status";
import { COUNT_LIST_VIEWS, countListParams, DUE_FILTERS, parseCountListQuery, statusesToList, type CountListQuery } from "../models/counts/count-list";
import { countPageContext } from "../models/counts/count-pages.server";
import { listCountPlans, setCountPlanActive } from "../models/counts/plans.server";
import { runCountScheduler, scheduleDailyCountRun } from "../models/counts/scheduler.server";
import { listCountTasks, type CountTaskSummary } from "../models/counts/tasks.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const query = parseCountListQuery(new URL(request.url).searchParams);
  const [context, plans, tasks] = await Promise.all([
    countPageContext(shop),
    listCountPlans(shop),
    listCountTasks(shop, {
      status: statusesToList(query),
      warehouseId: query.warehouseId ?? undefined,
      planId: query.planId ?? undefined,
      due: query.due ?? undefined,
      search: query.search,
      page: query.page,
    }),
  ]);
  // The daily scheduler run is queued once per shop; asking again while it waits adds nothing.
  if (context.warehouses.length) await scheduleDailyCountRun(shop);
  return { query, tasks, plans, context, generatedAt: new Date().toISOString() };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "run-scheduler") {
    const run = await runCountScheduler(session.shop);
    return { ran: { created: run.created.length, labels: run.created.map((task) => task.label), invalidPlans: run.invalidPlans.length } };
  }
  if (intent === "plan-active") {
    const planId = String(form.get("planId") ?? "");
    const active = form.get("active") === "true";
    try {
      const plan = await setCountPlanActive(session.shop, planId, active);
      return { plan: { id: plan.id, active: plan.active } };
    } catch {
      return data({ error: "plan_not_found" }, { status: 404 });
    }
  }
  return data({ error: "unknown_intent" }, { status: 400 });
};

/** A new tab, filter or search lists from the first page again. */
const FIRST_PAGE: Partial<CountListQuery> = { page: 1 };

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function TaskRow({ task, index, timeZone }: { task: CountTaskSummary; index: number; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <IndexTable.Row id={task.id} position={index}>
      <IndexTable.Cell>
        <Link url={`/app/counts/${task.id}`} removeUnderline monochrome dataPrimaryLink>
          <Text as="span" variant="bodyMd" fontWeight="semibold">
            {task.label}
          </Text>
        </Link>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <InlineStack gap="100" wrap={false}>
          <CountStatusBadge status={task.status} />
          {task.overdue ? <OverdueBadge /> : null}
        </InlineStack>
      </IndexTable.Cell>
      <IndexTable.Cell>{t(`counts.kind.${task.kind}` as MessageKey)}</IndexTable.Cell>
      <IndexTable.Cell>{task.warehouseName ?? "—"}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" tone={task.planName ? undefined : "subdued"}>
          {task.planName ?? (task.createdBy === "system" ? t("counts.list.raisedBySystem") : t("counts.list.byHand"))}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {task.assignee ? (
          actorText(task.assignee, t)
        ) : (
          <Text as="span" tone="subdued">
            {t("counts.list.unassigned")}
          </Text>
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {t("counts.list.progress", { counted: task.linesCounted, lines: task.lines })}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {task.dueAt ? (
          <Text as="span" tone={task.overdue ? "critical" : undefined}>
            {formatMoment(task.dueAt, locale, timeZone)}
          </Text>
        ) : (
          <Text as="span" tone="subdued">
            {t("counts.list.noDue")}
          </Text>
        )}
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

function TasksCard({ page }: { page: LoaderData }) {
  const { query, tasks, plans, context } = page;
  const t = useT();
  const navigation = useNavigation();
  const go = useListNavigation("/app/counts", query, countListParams, FIRST_PAGE);
  return (
    <ListPageTable
      query={query}
      go={go}
      views={COUNT_LIST_VIEWS}
      viewLabel={(view) => t(`counts.view.${view}` as MessageKey)}
      tabIdPrefix="counts-view-"
      searchPlaceholder={t("counts.search.placeholder")}
      filters={[
        {
          key: "status",
          label: t("counts.filter.status"),
          allowMultiple: true,
          choices: COUNT_TASK_STATUSES.map((status) => ({ label: t(`counts.status.${status}` as MessageKey), value: status })),
          selected: query.statuses,
          choose: (selected) => ({ statuses: selected as CountListQuery["statuses"] }),
          applied: query.statuses.length ? query.statuses.map((s) => t(`counts.status.${s}` as MessageKey)).join(", ") : null,
        },
        singleChoiceFilter({
          key: "warehouse",
          label: t("counts.filter.warehouse"),
          options: context.warehouses,
          selectedId: query.warehouseId,
          choose: (warehouseId) => ({ warehouseId }),
        }),
        singleChoiceFilter({ key: "plan", label: t("counts.filter.plan"), options: plans, selectedId: query.planId, choose: (planId) => ({ planId }) }),
        {
          key: "due",
          label: t("counts.filter.due"),
          choices: DUE_FILTERS.map((due) => ({ label: t(`counts.due.${due}` as MessageKey), value: due })),
          selected: query.due ? [query.due] : [],
          choose: (selected) => ({ due: (selected[0] as CountListQuery["due"]) ?? null }),
          applied: query.due ? t(`counts.due.${query.due}` as MessageKey) : null,
        },
      ]}
      loading={navigation.state === "loading" && navigation.location?.pathname === "/app/counts"}
      resourceName={{ singular: t("counts.resource.singular"), plural: t("counts.resource.plural") }}
      noMatches={t("counts.list.noMatches")}
      itemCount={tasks.tasks.length}
      headings={[
        { title: t("counts.column.count") },
        { title: t("counts.column.status") },
        { title: t("counts.column.kind") },
        { title: t("counts.column.warehouse") },
        { title: t("counts.column.plan") },
        { title: t("counts.column.assignee") },
        { title: t("counts.column.progress"), alignment: "end" },
        { title: t("counts.column.due") },
      ]}
      pagination={{
        next: tasks.page < tasks.pageCount ? { page: tasks.page + 1 } : null,
        previous: tasks.page > 1 ? { page: tasks.page - 1 } : null,
        label: t("counts.list.pageLabel", { page: tasks.page, pages: tasks.pageCount, total: tasks.total }),
      }}
    >
      {tasks.tasks.map((task, index) => (
        <TaskRow key={task.id} task={task} index={index} timeZone={context.timeZone} />
      ))}
    </ListPageTable>
  );
}

/** IndexTable cells do not wrap; a sentence does, in a column of reading width. */
function Wrapping({ children }: { children: ReactNode }) {
  return <div style={{ whiteSpace: "normal", minWidth: "16rem", maxWidth: "30rem" }}>{children}</div>;
}

/** A campaign or a full count plan that has made its count: the scheduler switched it off. */
function finished(plan: LoaderData["plans"][number]): boolean {
  return !plan.active && (plan.kind === "campaign" || plan.kind === "full") && plan.lastTaskAt != null;
}

function PlansCard({ page }: { page: LoaderData }) {
  const { plans, context } = page;
  const t = useT();
  const locale = useLocale();
  const toggle = useFetcher<typeof action>();
  const hasExceptionPlan = plans.some((plan) => plan.kind === "exception");
  const togglingId = toggle.state === "idle" ? null : toggle.formData?.get("planId");
  const summaryContext = { abcCadence: context.abcCadence, locale, timeZone: context.timeZone };
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <Box padding="400">
          <InlineStack align="space-between" blockAlign="center">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                {t("counts.plans.heading")}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {t("counts.plans.description")}
              </Text>
            </BlockStack>
            <Button url="/app/counts/plans/new" variant="primary">
              {t("counts.plans.new")}
            </Button>
          </InlineStack>
        </Box>
        <IndexTable
          resourceName={{ singular: t("counts.plans.singular"), plural: t("counts.plans.plural") }}
          itemCount={plans.length + (hasExceptionPlan ? 0 : 1)}
          selectable={false}
          headings={[
            { title: t("counts.plans.column.name") },
            { title: t("counts.plans.column.kind") },
            { title: t("counts.plans.column.warehouse") },
            { title: t("counts.plans.column.schedule") },
            { title: t("counts.plans.column.openCounts"), alignment: "end" },
            { title: t("counts.plans.column.lastCount") },
            { title: t("counts.plans.column.status") },
          ]}
        >
          {plans.map((plan, index) => (
            <IndexTable.Row id={plan.id} key={plan.id} position={index}>
              <IndexTable.Cell>
                <Link url={`/app/counts/plans/${plan.id}`} removeUnderline monochrome dataPrimaryLink>
                  <Text as="span" fontWeight="semibold">
                    {plan.name}
                  </Text>
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>{t(`counts.kind.${plan.kind}` as MessageKey)}</IndexTable.Cell>
              <IndexTable.Cell>{plan.warehouseName ?? t("counts.plans.everyWarehouse")}</IndexTable.Cell>
              <IndexTable.Cell>
                <Wrapping>
                  <Text as="span" tone={plan.settings ? undefined : "critical"}>
                    {planSummary(plan.settings, summaryContext, t)}
                  </Text>
                </Wrapping>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {plan.openTasks}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{plan.lastTaskAt ? formatDay(plan.lastTaskAt, locale, context.timeZone) : "—"}</IndexTable.Cell>
              <IndexTable.Cell>
                {finished(plan) ? (
                  <Badge tone="info">{t("counts.plans.done")}</Badge>
                ) : (
                  <InlineStack gap="200" blockAlign="center" wrap={false}>
                    <Badge tone={plan.active ? "success" : undefined}>{t(plan.active ? "counts.plans.active" : "counts.plans.paused")}</Badge>
                    <Button
                      variant="plain"
                      loading={togglingId === plan.id}
                      onClick={() => toggle.submit({ intent: "plan-active", planId: plan.id, active: String(!plan.active) }, { method: "post" })}
                    >
                      {t(plan.active ? "counts.plans.pause" : "counts.plans.resume")}
                    </Button>
                  </InlineStack>
                )}
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
          {hasExceptionPlan ? null : (
            <IndexTable.Row id="system-exceptions" position={plans.length}>
              <IndexTable.Cell>
                <Text as="span" fontWeight="semibold">
                  {t("counts.plans.system.name")}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{t("counts.kind.exception")}</IndexTable.Cell>
              <IndexTable.Cell>{t("counts.plans.everyWarehouse")}</IndexTable.Cell>
              <IndexTable.Cell>
                <Wrapping>
                  <Text as="span" tone="subdued">
                    {t("counts.plans.system.summary")}
                  </Text>
                </Wrapping>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  —
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>—</IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone="info">{t("counts.plans.system.badge")}</Badge>
              </IndexTable.Cell>
            </IndexTable.Row>
          )}
        </IndexTable>
      </BlockStack>
    </Card>
  );
}

export default function Counts() {
  const page = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const shopify = useAppBridge();
  const run = useFetcher<typeof action>();

  useEffect(() => {
    if (run.state !== "idle" || !run.data || !("ran" in run.data) || !run.data.ran) return;
    const { created, labels } = run.data.ran;
    shopify.toast.show(created ? t("counts.scheduler.created", { count: created, labels: labels.slice(0, 5).join(", ") }) : t("counts.scheduler.nothing"));
  }, [run.state, run.data, shopify, t]);

  if (!page.context.warehouses.length) {
    return <UpcomingPage title="counts.title" heading="counts.empty.heading" body="counts.empty.body" />;
  }

  return (
    <Page fullWidth>
      <TitleBar title={t("counts.title")}>
        <button variant="primary" onClick={() => navigate("/app/counts/new")}>
          {t("counts.newCount")}
        </button>
        <button onClick={() => run.submit({ intent: "run-scheduler" }, { method: "post" })} disabled={run.state !== "idle"}>
          {t("counts.scheduler.run")}
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <TasksCard page={page} />
        </Layout.Section>
        <Layout.Section>
          <PlansCard page={page} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
