import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { IndexTable, InlineStack, Link, Page, Text } from "@shopify/polaris";
import { useCallback, useState } from "react";
import { downloadFile } from "../components/download-file";
import { cursorPagination, ListPageTable, singleChoiceFilter, useListNavigation } from "../components/ListPageTable";
import { UpcomingPage } from "../components/UpcomingPage";
import { StockStatusBadge } from "../components/StockStatusBadge";
import { useLocale, useT } from "../i18n";
import { relativeTime } from "../i18n/relative-time";
import { INVENTORY_VIEWS, inventoryQueryParams, parseInventoryQuery, type InventoryRow } from "../models/inventory-view";
import { FIRST_PAGE } from "../models/list-query";
import { loadInventoryPage } from "../models/inventory-view.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseInventoryQuery(new URL(request.url).searchParams);
  const page = await loadInventoryPage(session.shop, query);
  return { ...page, query, generatedAt: new Date().toISOString() };
};

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
  const location = useLocation();
  const [exporting, setExporting] = useState(false);
  const go = useListNavigation("/app/inventory", query, inventoryQueryParams, FIRST_PAGE);
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
      <ListPageTable
        query={query}
        go={go}
        views={INVENTORY_VIEWS}
        viewLabel={(view) => t(`inventory.view.${view}`)}
        searchPlaceholder={t("inventory.search.placeholder")}
        filters={[
          singleChoiceFilter({
            key: "warehouse",
            label: t("inventory.filter.warehouse"),
            options: page.warehouses,
            selectedId: query.warehouseId,
            choose: (warehouseId) => ({ warehouseId }),
            appliedLabel: (warehouse) => t("inventory.filter.warehouseApplied", { warehouse }),
          }),
        ]}
        resourceName={{ singular: t("inventory.resource.singular"), plural: t("inventory.resource.plural") }}
        noMatches={t("inventory.table.noMatches")}
        itemCount={page.rows.length}
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
        pagination={{ ...cursorPagination(page), label: t("inventory.table.count", { count: page.total }) }}
      >
        {page.rows.map((row, index) => (
          <PositionRow key={row.id} row={row} index={index} generatedAt={page.generatedAt} back={location.search.replace(/^\?/, "")} />
        ))}
      </ListPageTable>
      <InlineStack align="center">
        <Text as="p" variant="bodySm" tone="subdued">
          {t("inventory.table.footnote")}
        </Text>
      </InlineStack>
    </Page>
  );
}
