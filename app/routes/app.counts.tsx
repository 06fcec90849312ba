import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  IndexFilters,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { CountStatusBadge, OverdueBadge } from "../components/counts/CountBadges";
import { formatDay, formatMoment, planSummary } from "../components/counts/count-text";
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

const SEARCH_DELAY_MS = 300;

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
        {task.assignee ?? (
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
  const navigate = useNavigate();
  const navigation = useNavigation();
  const { mode, setMode } = useSetIndexFiltersMode();
  const [search, setSearch] = useState(query.search);

  const go = useCallback(
    (changes: Partial<CountListQuery>) => {
      const next = countListParams({ ...query, page: 1, ...changes });
      navigate(`/app/counts${next.size ? `?${next}` : ""}`, { preventScrollReset: true });
    },
    [navigate, query]
  );

  useEffect(() => setSearch(query.search), [query.search]);
  useEffect(() => {
    if (search.trim() === query.search) return;
    const timer = setTimeout(() => go({ search: search.trim() }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, query.search, go]);

  const tabs = useMemo(() => COUNT_LIST_VIEWS.map((view) => ({ id: `counts-view-${view}`, content: t(`counts.view.${view}` as MessageKey), isLocked: true })), [t]);
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "status",
      label: t("counts.filter.status"),
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("counts.filter.status")}
          titleHidden
          allowMultiple
          choices={COUNT_TASK_STATUSES.map((status) => ({ label: t(`counts.status.${status}` as MessageKey), value: status }))}
          selected={query.statuses}
          onChange={(selected) => go({ statuses: selected as CountListQuery["statuses"] })}
        />
      ),
    },
    {
      key: "warehouse",
      label: t("counts.filter.warehouse"),
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("counts.filter.warehouse")}
          titleHidden
          choices={context.warehouses.map((w) => ({ label: w.name, value: w.id }))}
          selected={query.warehouseId ? [query.warehouseId] : []}
          onChange={(selected) => go({ warehouseId: selected[0] ?? null })}
        />
      ),
    },
    {
      key: "plan",
      label: t("counts.filter.plan"),
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("counts.filter.plan")}
          titleHidden
          choices={plans.map((plan) => ({ label: plan.name, value: plan.id }))}
          selected={query.planId ? [query.planId] : []}
          onChange={(selected) => go({ planId: selected[0] ?? null })}
        />
      ),
    },
    {
      key: "due",
      label: t("counts.filter.due"),
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("counts.filter.due")}
          titleHidden
          choices={DUE_FILTERS.map((due) => ({ label: t(`counts.due.${due}` as MessageKey), value: due }))}
          selected={query.due ? [query.due] : []}
          onChange={(selected) => go({ due: (selected[0] as CountListQuery["due"]) ?? null })}
        />
      ),
    },
  ];
  const applied: IndexFiltersProps["appliedFilters"] = [];
  if (query.statuses.length) {
    applied.push({ key: "status", label: query.statuses.map((s) => t(`counts.status.${s}` as MessageKey)).join(", "), onRemove: () => go({ statuses: [] }) });
  }
  const warehouseName = context.warehouses.find((w) => w.id === query.warehouseId)?.name;
  if (warehouseName) applied.push({ key: "warehouse", label: warehouseName, onRemove: () => go({ warehouseId: null }) });
  const planName = plans.find((p) => p.id === query.planId)?.name;
  if (planName) applied.push({ key: "plan", label: planName, onRemove: () => go({ planId: null }) });
  if (query.due) applied.push({ key: "due", label: t(`counts.due.${query.due}` as MessageKey), onRemove: () => go({ due: null }) });

  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/counts";
  return (
    <Card padding="0">
      <IndexFilters
        tabs={tabs}
        selected={Math.max(0, COUNT_LIST_VIEWS.indexOf(query.view))}
        onSelect={(index) => go({ view: COUNT_LIST_VIEWS[index] ?? "open" })}
        queryValue={search}
        queryPlaceholder={t("counts.search.placeholder")}
        onQueryChange={setSearch}
        onQueryClear={() => {
          setSearch("");
          go({ search: "" });
        }}
        filters={filters}
        appliedFilters={applied}
        onClearAll={() => go({ statuses: [], warehouseId: null, planId: null, due: null, search: "" })}
        mode={mode}
        setMode={setMode}
        canCreateNewView={false}
        loading={loading}
        cancelAction={{ onAction: () => undefined }}
      />
      <IndexTable
        resourceName={{ singular: t("counts.resource.singular"), plural: t("counts.resource.plural") }}
        itemCount={tasks.tasks.length}
        selectable={false}
        loading={loading}
        emptyState={
          <Text as="p" alignment="center" tone="subdued">
            {t("counts.list.noMatches")}
          </Text>
        }
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
          hasNext: tasks.page < tasks.pageCount,
          hasPrevious: tasks.page > 1,
          onNext: () => go({ page: tasks.page + 1 }),
          onPrevious: () => go({ page: tasks.page - 1 }),
          label: t("counts.list.pageLabel", { page: tasks.page, pages: tasks.pageCount, total: tasks.total }),
        }}
      >
        {tasks.tasks.map((task, index) => (
          <TaskRow key={task.id} task={task} index={index} timeZone={context.timeZone} />
        ))}
      </IndexTable>
    </Card>
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
