import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Card, EmptyState, IndexTable, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { useMemo } from "react";
import emptyStateImage from "../assets/empty-state.svg?url";
import { cursorPagination, ListPageTable, singleChoiceFilter, useListNavigation } from "../components/ListPageTable";
import { OrderStatusBadge } from "../components/OrderStatusBadge";
import { RetryOrderButton } from "../components/RetryOrderButton";
import { UpcomingPage } from "../components/UpcomingPage";
import { useLocale, useT } from "../i18n";
import { relativeTime } from "../i18n/relative-time";
import { ALLOCATION_STATUSES, type AllocationStatus } from "../orders/allocation-status";
import { retryAllocation } from "../orders/jobs.server";
import { routingShortReason, statusText } from "../orders/routing-story";
import { FIRST_PAGE } from "../models/list-query";
import { canRetry, ORDER_VIEWS, ordersQueryParams, parseOrdersQuery, type OrderRow } from "../models/orders-view";
import { loadOrdersPage } from "../models/orders-view.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseOrdersQuery(new URL(request.url).searchParams);
  const page = await loadOrdersPage(session.shop, query);
  return { ...page, query, generatedAt: new Date().toISOString() };
};

/** Retry: the order's work is queued again (the list and the detail page both post here). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent !== "retry") return data({ intent, ok: false, error: "unknown_intent" }, { status: 400 });
  const retried = await retryAllocation(session.shop, String(form.get("allocationId") ?? ""));
  return data({ intent, ok: retried, error: retried ? null : "gone" }, { status: retried ? 200 : 404 });
};

function OrderListRow({ row, index, names, generatedAt, back }: { row: OrderRow; index: number; names: Record<string, string>; generatedAt: string; back: string }) {
  const t = useT();
  const locale = useLocale();
  const why = row.routing ? routingShortReason(row.routing, names, t) : null;
  return (
    <IndexTable.Row id={row.id} position={index}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <Link url={`/app/orders/${row.id}${back ? `?back=${encodeURIComponent(back)}` : ""}`} removeUnderline monochrome dataPrimaryLink>
            <Text as="span" variant="bodyMd" fontWeight="semibold">
              {row.orderName}
            </Text>
          </Link>
          {row.destination ? (
            <Text as="span" variant="bodySm" tone="subdued">
              {t("orders.table.destination", { destination: row.destination })}
            </Text>
          ) : null}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {row.warehouseName ?? (
          <Text as="span" tone="subdued">
            {t("orders.table.noWarehouse")}
          </Text>
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100" inlineAlign="start">
          <OrderStatusBadge status={row.status} />
          {row.problem && row.status !== row.problem ? (
            <Text as="span" variant="bodySm" tone="caution">
              {t(`orders.problem.${row.problem}`)}
            </Text>
          ) : null}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div style={{ maxWidth: "26rem", whiteSpace: "normal" }}>
          <BlockStack gap="050">
            {why ? (
              <Text as="span" variant="bodySm">
                {why}
              </Text>
            ) : null}
            {row.lastError && (row.problem === "error" || row.problem === "waiting") ? (
              <Text as="span" variant="bodySm" tone="critical">
                {row.lastError.length > 160 ? `${row.lastError.slice(0, 157)}…` : row.lastError}
              </Text>
            ) : null}
          </BlockStack>
        </div>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {row.tracking.length ? (
          <BlockStack gap="050">
            {row.tracking.map((tracking) => (
              <Text as="span" variant="bodySm" key={tracking.number}>
                {tracking.carrier ? `${tracking.carrier} ` : ""}
                {tracking.url ? (
                  <Link url={tracking.url} target="_blank" removeUnderline>
                    {tracking.number}
                  </Link>
                ) : (
                  tracking.number
                )}
              </Text>
            ))}
          </BlockStack>
        ) : (
          <Text as="span" tone="subdued">
            {t("orders.table.noTracking")}
          </Text>
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <time dateTime={row.updatedAt}>{relativeTime(row.updatedAt, generatedAt, locale)}</time>
      </IndexTable.Cell>
      <IndexTable.Cell>{canRetry(row.problem) ? <RetryOrderButton allocationId={row.id} orderName={row.orderName} /> : null}</IndexTable.Cell>
    </IndexTable.Row>
  );
}

export default function Orders() {
  const page = useLoaderData<typeof loader>();
  const { query } = page;
  const t = useT();
  const location = useLocation();
  const go = useListNavigation("/app/orders", query, ordersQueryParams, FIRST_PAGE);
  const counts = useMemo(
    () => ({ all: 0, attention: page.problems.waiting + page.problems.error + page.problems.rejected, ...page.problems }),
    [page.problems],
  );
  const names = useMemo(() => Object.fromEntries(page.warehouses.map((w) => [w.id, w.name])), [page.warehouses]);

  if (!page.shopHasOrders && !page.shopHasWarehouses) {
    return <UpcomingPage title="orders.title" heading="orders.empty.heading" body="orders.empty.body" />;
  }
  if (!page.shopHasOrders) {
    return (
      <Page>
        <TitleBar title={t("orders.title")} />
        <Card>
          <EmptyState heading={t("orders.noOrders.heading")} action={{ content: t("orders.noOrders.routing"), url: "/app/settings/routing" }} image={emptyStateImage}>
            <p>{t("orders.noOrders.body")}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  return (
    <Page fullWidth>
      <TitleBar title={t("orders.title")} />
      <Layout>
        {page.problems.error > 0 && query.view !== "error" && query.view !== "attention" ? (
          <Layout.Section>
            <Banner tone="critical" title={t("orders.errors.title", { count: page.problems.error })} action={{ content: t("orders.errors.show"), onAction: () => go({ view: "error", statuses: [] }) }}>
              <p>{t("orders.errors.body")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {page.problems.waiting > 0 && query.view !== "waiting" ? (
          <Layout.Section>
            <Banner tone="warning" title={t("orders.queue.title", { count: page.problems.waiting })} action={{ content: t("orders.queue.show"), onAction: () => go({ view: "waiting", statuses: [] }) }}>
              <p>{t("orders.queue.body")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <ListPageTable
            query={query}
            go={go}
            views={ORDER_VIEWS}
            viewLabel={(view) => (view === "all" ? t("orders.view.all") : t(`orders.view.${view}`, { count: counts[view] }))}
            searchPlaceholder={t("orders.search.placeholder")}
            filters={[
              {
                key: "status",
                label: t("orders.filter.status"),
                allowMultiple: true,
                choices: ALLOCATION_STATUSES.map((status) => ({ label: statusText(status, t), value: status })),
                selected: query.statuses,
                choose: (selected) => ({ statuses: selected as AllocationStatus[] }),
                applied: query.statuses.length ? t("orders.filter.statusApplied", { statuses: query.statuses.map((s) => statusText(s, t)).join(", ") }) : null,
              },
              {
                ...singleChoiceFilter({
                  key: "warehouse",
                  label: t("orders.filter.warehouse"),
                  options: page.warehouses.filter((w) => w.connected || w.id === query.warehouseId),
                  selectedId: query.warehouseId,
                  choose: (warehouseId) => ({ warehouseId }),
                }),
                // The pill names any chosen warehouse, connected or not (by its id when it is unknown).
                applied: query.warehouseId ? t("orders.filter.warehouseApplied", { warehouse: names[query.warehouseId] ?? query.warehouseId }) : null,
              },
            ]}
            resourceName={{ singular: t("orders.resource.singular"), plural: t("orders.resource.plural") }}
            noMatches={t("orders.table.noMatches")}
            itemCount={page.rows.length}
            headings={[
              { title: t("orders.column.order") },
              { title: t("orders.column.warehouse") },
              { title: t("orders.column.status") },
              { title: t("orders.column.why") },
              { title: t("orders.column.tracking") },
              { title: t("orders.column.updated") },
              { title: t("orders.column.action"), hidden: true },
            ]}
            pagination={{ ...cursorPagination(page), label: t("orders.table.count", { count: page.total }) }}
          >
            {page.rows.map((row, index) => (
              <OrderListRow key={row.id} row={row} index={index} names={names} generatedAt={page.generatedAt} back={location.search.replace(/^\?/, "")} />
            ))}
          </ListPageTable>
        </Layout.Section>
        <Layout.Section>
          <InlineStack align="center">
            <Text as="p" variant="bodySm" tone="subdued">
              {t("orders.table.footnote")}
            </Text>
          </InlineStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
