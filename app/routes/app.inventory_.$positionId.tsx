import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Card, Divider, InlineStack, Layout, List, Page, Pagination, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { StockStatusBadge } from "../components/StockStatusBadge";
import { formatDateTime, isMessageKey, useLocale, useT } from "../i18n";
import { describeLedgerRow } from "../inventory/ledger-story";
import { describeReturnLedgerRow } from "../orders/return-ledger";
import { explainPosition } from "../models/stock-explanation.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const explanation = await explainPosition(session.shop, params.positionId ?? "", {
    older: url.searchParams.get("older"),
    newer: url.searchParams.get("newer"),
  });
  if (!explanation) throw new Response("This SKU is not in your inventory.", { status: 404 });
  return explanation;
};

function Step({ sign, label, value, children }: { sign: string; label: string; value: string; children?: ReactNode }) {
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center" wrap={false} gap="400">
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Box minWidth="1.5rem">
            <Text as="span" variant="headingMd" tone="subdued">
              {sign}
            </Text>
          </Box>
          <Text as="span" variant="bodyMd">
            {label}
          </Text>
        </InlineStack>
        <Text as="span" variant="headingMd" numeric>
          {value}
        </Text>
      </InlineStack>
      {children ? <Box paddingInlineStart="800">{children}</Box> : null}
    </BlockStack>
  );
}

function Note({ children }: { children: ReactNode }) {
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      {children}
    </Text>
  );
}

export default function PositionExplanation() {
  const { position, why, sellableReported, heldOrders, shopify, ledger, timeZone } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const location = useLocation();
  const number = (value: number) => new Intl.NumberFormat(locale).format(value);
  const when = (iso: string) => formatDateTime(iso, locale, timeZone);
  const back = new URLSearchParams(location.search).get("back");
  const listUrl = `/app/inventory${back ? `?${back}` : ""}`;
  const viaKey = `inventory.ledger.via.${sellableReported.source ?? ""}`;
  const orderNames = new Map(Object.entries(ledger.orderNames));
  const title = [position.productTitle, position.variantTitle && position.variantTitle !== "Default Title" ? position.variantTitle : null]
    .filter(Boolean)
    .join(" — ");

  const pageTo = (cursor: { older?: string; newer?: string }) => {
    const params = new URLSearchParams(cursor);
    if (back) params.set("back", back);
    navigate(`${location.pathname}?${params}`, { preventScrollReset: true });
  };

  return (
    <Page
      backAction={{ content: t("inventory.title"), url: listUrl }}
      title={position.sku}
      subtitle={t("inventory.why.subtitle", { product: title || t("inventory.table.noProduct"), warehouse: position.warehouseName })}
      titleMetadata={<StockStatusBadge status={position.status} />}
    >
      <TitleBar title={position.sku} />
      <Layout>
        {position.warehouseFrozenReason != null ? (
          <Layout.Section>
            <Banner tone="warning" title={t("inventory.why.frozen.title")}>
              <p>{position.warehouseFrozenReason || t("inventory.why.frozen.body")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {!position.mapped ? (
          <Layout.Section>
            <Banner tone="info" title={t("inventory.why.unmapped.title")}>
              <p>{t("inventory.why.unmapped.body")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                {t("inventory.why.heading", { units: why.shouldBe })}
              </Text>
              <Step sign="" label={t("inventory.why.sellable")} value={number(why.warehouseSellable)}>
                {sellableReported.at ? (
                  <Note>
                    {t("inventory.why.sellableReported", {
                      time: when(sellableReported.at),
                      via: isMessageKey(viaKey) ? t(viaKey) : (sellableReported.source ?? t("inventory.ledger.via.unknown")),
                    })}
                  </Note>
                ) : (
                  <Note>{t("inventory.why.sellableNeverReported")}</Note>
                )}
                {why.warehouseSellable < 0 ? <Note>{t("inventory.why.sellableNegative", { units: why.sellableCounted })}</Note> : null}
              </Step>
              <Step sign="−" label={t("inventory.why.held")} value={number(why.unacknowledged)}>
                {heldOrders.length ? (
                  <List type="bullet">
                    {heldOrders.map((held) => (
                      <List.Item key={held.order}>
                        {t("inventory.why.heldOrder", { order: held.order, units: held.units, time: when(held.since) })}
                      </List.Item>
                    ))}
                  </List>
                ) : (
                  <Note>{t("inventory.why.noHeldOrders")}</Note>
                )}
                {why.unacknowledgedFrom === "shopify_committed" ? (
                  <Note>
                    {t("inventory.why.heldFromShopify", { committed: why.committedNotAcknowledged ?? 0, reserved: why.reservedByOrders })}
                  </Note>
                ) : null}
              </Step>
              <Step sign="−" label={t("inventory.why.safety")} value={number(why.safetyStock)}>
                <Note>{t(why.safetyStockIsShopDefault ? "inventory.why.safetyShopDefault" : "inventory.why.safetyOwn")}</Note>
              </Step>
              <Divider />
              <Step sign="=" label={t("inventory.why.shouldBe")} value={number(why.shouldBe)}>
                {why.beforeFloor < 0 ? <Note>{t("inventory.why.floor", { units: why.beforeFloor })}</Note> : null}
              </Step>
            </BlockStack>
          </Card>
        </Layout.Section>
        {position.mapped ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("inventory.why.shopify.heading")}
                </Text>
                <Step sign="" label={t("inventory.column.shopifyAvailable")} value={shopify.available == null ? "—" : number(shopify.available)}>
                  <Note>
                    {shopify.readAt ? t("inventory.why.shopify.readAt", { time: when(shopify.readAt) }) : t("inventory.why.shopify.neverRead")}
                  </Note>
                </Step>
                <Note>
                  {shopify.lastWritten != null && shopify.lastWrittenAt
                    ? t("inventory.why.shopify.written", { units: shopify.lastWritten, time: when(shopify.lastWrittenAt) })
                    : t("inventory.why.shopify.neverWritten")}
                </Note>
                {shopify.drift ? (
                  <Text as="p" tone={shopify.syncing ? undefined : "critical"}>
                    {t(shopify.syncing ? "inventory.why.shopify.driftSyncing" : "inventory.why.shopify.drift", {
                      drift: new Intl.NumberFormat(locale, { signDisplay: "exceptZero" }).format(shopify.drift),
                    })}
                  </Text>
                ) : shopify.drift === 0 ? (
                  <Text as="p" tone="success">
                    {t("inventory.why.shopify.matches")}
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("inventory.history.heading")}
              </Text>
              {ledger.lines.length === 0 ? (
                <Note>{t("inventory.history.none")}</Note>
              ) : (
                <BlockStack gap="200">
                  {ledger.lines.map((line) => (
                    <InlineStack key={line.id} gap="400" wrap={false} blockAlign="start">
                      <Box minWidth="11rem">
                        <Text as="span" variant="bodySm" tone="subdued">
                          <time dateTime={line.occurredAt}>{when(line.occurredAt)}</time>
                        </Text>
                      </Box>
                      <Text as="span" variant="bodyMd" breakWord>
                        {describeReturnLedgerRow(line, t) ?? describeLedgerRow(line, orderNames, t)}
                      </Text>
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
              {ledger.olderCursor || ledger.newerCursor ? (
                <InlineStack align="center">
                  <Pagination
                    hasPrevious={ledger.newerCursor != null}
                    previousTooltip={t("inventory.history.newer")}
                    onPrevious={() => ledger.newerCursor && pageTo({ newer: ledger.newerCursor })}
                    hasNext={ledger.olderCursor != null}
                    nextTooltip={t("inventory.history.older")}
                    onNext={() => ledger.olderCursor && pageTo({ older: ledger.olderCursor })}
                  />
                </InlineStack>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
