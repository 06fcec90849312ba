import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigate, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Card,
  ChoiceList,
  IndexFilters,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useState } from "react";
import { downloadFile } from "../components/download-file";
import { UpcomingPage } from "../components/UpcomingPage";
import { StockStatusBadge } from "../components/StockStatusBadge";
import { useLocale, useT } from "../i18n";
import { relativeTime } from "../i18n/relative-time";
import { INVENTORY_VIEWS, inventoryQueryParams, parseInventoryQuery, type InventoryQuery, type InventoryRow } from "../models/inventory-view";
import { loadInventoryPage } from "../models/inventory-view.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseInventoryQuery(new URL(request.url).searchParams);
  const page = await loadInventoryPage(session.shop, query);
  return { ...page, query, generatedAt: new Date().toISOString() };
};

const SEARCH_DELAY_MS = 300;

function units(value: number | null, locale: string): string {
  return value == null ? "—" : new Intl.NumberFormat(locale).format(value);
}

function signedUnits(value: number | null, locale: string): string {
  return value == null ? "—" : new Intl.NumberFormat(locale, { signDisplay: "exceptZero" }).format(value);
}

function PositionRow({ row, index, generatedAt, back }: { row: InventoryRow; index: number; generatedAt: string; back: string }) {
  const t = useT();
  const locale = useLocale();
  const title = [row.productTitle, row.variantTitle && row.variantTitle !== "Default Title" ? row.variantTitle : null].filter(Boolean).join(" — ");
  return (
    <IndexTable.Row id={row.id} position={index}>
      <IndexTable.Cell>
        <Link url={`/app/inventory/${row.id}${back ? `?back=${encodeURIComponent(back)}` : ""}`} removeUnderline monochrome dataPrimaryLink>
          <Text as="span" variant="bodyMd" fontWeight="semibold">
            {row.sku}
          </Text>
        </Link>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" tone={title ? undefined : "subdued"}>
          {title || t("inventory.table.noProduct")}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{row.warehouseName}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {units(row.warehouseSellable, locale)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {units(row.reservedForOrders, locale)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric tone={row.safetyStockIsShopDefault ? "subdued" : undefined}>
          {row.safetyStockIsShopDefault
            ? t("inventory.table.shopDefault", { units: row.safetyStock })
            : units(row.safetyStock, locale)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {units(row.shopifyAvailable, locale)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric fontWeight="semibold">
          {units(row.shouldBe, locale)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric tone={row.drift ? "critical" : undefined}>
          {signedUnits(row.drift, locale)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {row.lastConfirmedAt ? (
          <time dateTime={row.lastConfirmedAt}>{relativeTime(row.lastConfirmedAt, generatedAt, locale)}</time>
        ) : (
          <Text as="span" tone="subdued">
            {t("inventory.table.never")}
          </Text>
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <StockStatusBadge status={row.status} />
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

export default function Inventory() {
  const page = useLoaderData<typeof loader>();
  const { query } = page;
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const location = useLocation();
  const { mode, setMode } = useSetIndexFiltersMode();
  const [search, setSearch] = useState(query.search);
  const [exporting, setExporting] = useState(false);

  const go = useCallback(
    (changes: Partial<InventoryQuery>) => {
      const next = inventoryQueryParams({ ...query, after: null, before: null, ...changes });
      navigate(`/app/inventory${next.size ? `?${next}` : ""}`, { preventScrollReset: true });
    },
    [navigate, query],
  );

  useEffect(() => setSearch(query.search), [query.search]);
  useEffect(() => {
    if (search.trim() === query.search) return;
    const timer = setTimeout(() => go({ search: search.trim() }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, query.search, go]);

  const tabs = useMemo(
    () => INVENTORY_VIEWS.map((view) => ({ id: `view-${view}`, content: t(`inventory.view.${view}`), isLocked: true })),
    [t],
  );
  const warehouseFilter: IndexFiltersProps["filters"] = [
    {
      key: "warehouse",
      label: t("inventory.filter.warehouse"),
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("inventory.filter.warehouse")}
          titleHidden
          choices={page.warehouses.map((w) => ({ label: w.name, value: w.id }))}
          selected={query.warehouseId ? [query.warehouseId] : []}
          onChange={(selected) => go({ warehouseId: selected[0] ?? null })}
        />
      ),
    },
  ];
  const warehouseName = page.warehouses.find((w) => w.id === query.warehouseId)?.name;
  const appliedFilters: IndexFiltersProps["appliedFilters"] = warehouseName
    ? [{ key: "warehouse", label: t("inventory.filter.warehouseApplied", { warehouse: warehouseName }), onRemove: () => go({ warehouseId: null }) }]
    : [];
  const filterParams = inventoryQueryParams({ view: query.view, warehouseId: query.warehouseId, search: query.search }).toString();

  const exportCsv = useCallback(async () => {
    setExporting(true);
    try {
      await downloadFile(`/app/inventory/export${filterParams ? `?${filterParams}` : ""}`, "inventory.csv");
    } finally {
      setExporting(false);
    }
  }, [filterParams]);

  if (!page.shopHasPositions) {
    return <UpcomingPage title="inventory.title" heading="inventory.empty.heading" body="inventory.empty.body" />;
  }

  return (
    <Page fullWidth>
      <TitleBar title={t("inventory.title")}>
        <button onClick={exportCsv} disabled={exporting}>
          {t("inventory.export")}
        </button>
      </TitleBar>
      <Card padding="0">
        <IndexFilters
          tabs={tabs}
          selected={Math.max(0, INVENTORY_VIEWS.indexOf(query.view))}
          onSelect={(index) => go({ view: INVENTORY_VIEWS[index] ?? "all" })}
          queryValue={search}
          queryPlaceholder={t("inventory.search.placeholder")}
          onQueryChange={setSearch}
          onQueryClear={() => {
            setSearch("");
            go({ search: "" });
          }}
          filters={warehouseFilter}
          appliedFilters={appliedFilters}
          onClearAll={() => go({ warehouseId: null, search: "" })}
          mode={mode}
          setMode={setMode}
          canCreateNewView={false}
          loading={navigation.state === "loading"}
          cancelAction={{ onAction: () => undefined }}
        />
        <IndexTable
          resourceName={{ singular: t("inventory.resource.singular"), plural: t("inventory.resource.plural") }}
          itemCount={page.rows.length}
          selectable={false}
          loading={navigation.state === "loading"}
          emptyState={
            <Text as="p" alignment="center" tone="subdued">
              {t("inventory.table.noMatches")}
            </Text>
          }
          headings={[
            { title: t("inventory.column.sku") },
            { title: t("inventory.column.product") },
            { title: t("inventory.column.warehouse") },
            { title: t("inventory.column.warehouseSellable"), alignment: "end" },
            { title: t("inventory.column.heldForOrders"), alignment: "end", tooltipContent: t("inventory.column.heldForOrdersHelp") },
            { title: t("inventory.column.safetyStock"), alignment: "end" },
            { title: t("inventory.column.shopifyAvailable"), alignment: "end" },
            { title: t("inventory.column.shouldBe"), alignment: "end", tooltipContent: t("inventory.column.shouldBeHelp") },
            { title: t("inventory.column.drift"), alignment: "end", tooltipContent: t("inventory.column.driftHelp") },
            { title: t("inventory.column.lastConfirmed") },
            { title: t("inventory.column.status") },
          ]}
          pagination={{
            hasNext: page.nextCursor != null,
            hasPrevious: page.previousCursor != null,
            onNext: () => page.nextCursor && go({ after: page.nextCursor }),
            onPrevious: () => page.previousCursor && go({ before: page.previousCursor }),
            label: t("inventory.table.count", { count: page.total }),
          }}
        >
          {page.rows.map((row, index) => (
            <PositionRow key={row.id} row={row} index={index} generatedAt={page.generatedAt} back={location.search.replace(/^\?/, "")} />
          ))}
        </IndexTable>
      </Card>
      <InlineStack align="center">
        <Text as="p" variant="bodySm" tone="subdued">
          {t("inventory.table.footnote")}
        </Text>
      </InlineStack>
    </Page>
  );
}
