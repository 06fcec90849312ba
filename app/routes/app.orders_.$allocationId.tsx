// One order on its way through a warehouse: where it went and why, its status timeline, what
// happened, shipments and returns, and a Retry when something needs doing again. `orders_` keeps
// it out of the list's layout while its URL stays /app/orders/<id>.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Box, Card, Divider, InlineGrid, InlineStack, Layout, Link, List, Page, Text } from "@shopify/polaris";
import { OrderStatusBadge } from "../components/OrderStatusBadge";
import { RetryOrderButton } from "../components/RetryOrderButton";
import { formatDateTime, isMessageKey, useLocale, useT } from "../i18n";
import { canRetry, MILESTONES, milestonesOf, type Milestone } from "../models/orders-view";
import { loadOrderDetail } from "../models/orders-view.server";
import { eventKindText, routingStory } from "../orders/routing-story";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const detail = await loadOrderDetail(session.shop, params.allocationId ?? "");
  if (!detail) throw new Response("This order is not in TallySync.", { status: 404 });
  return detail;
};

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

export default function OrderDetailPage() {
  const { order, warehouseNames, timeZone } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const when = (iso: string) => formatDateTime(iso, locale, timeZone);
  const back = new URLSearchParams(location.search).get("back");
  const listUrl = `/app/orders${back ? `?${back}` : ""}`;
  const story = order.routing ? routingStory(order.routing, warehouseNames, t) : null;
  const reached = milestonesOf(order.events);
  // A cancelled order shows where it stopped; one that was not cancelled does not show the step.
  const milestones = MILESTONES.filter((m) => (m === "cancelled" ? Boolean(reached.cancelled) : !(reached.cancelled && !reached[m])));
  const warehouseStatusKey = `orders.warehouseStatus.${order.warehouseOrderStatus ?? ""}`;

  return (
    <Page
      backAction={{ content: t("orders.detail.back"), url: listUrl }}
      title={order.orderName}
      subtitle={t("orders.detail.subtitle", { id: order.fulfillmentOrderId.split("/").pop() ?? order.fulfillmentOrderId })}
      titleMetadata={<OrderStatusBadge status={order.status} />}
      primaryAction={canRetry(order.problem) ? <RetryOrderButton allocationId={order.id} orderName={order.orderName} variant="primary" /> : undefined}
    >
      <TitleBar title={order.orderName} />
      <Layout>
        {order.problem === "error" ? (
          <Layout.Section variant="fullWidth">
            <Banner tone="critical" title={t("orders.detail.errorTitle")}>
              <BlockStack gap="200">
                {order.lastError ? <p>{order.lastError}</p> : null}
                <p>{t("orders.retry.help")}</p>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        {order.problem === "waiting" ? (
          <Layout.Section variant="fullWidth">
            <Banner tone="warning" title={t("orders.detail.waitingTitle")}>
              <BlockStack gap="200">
                {order.lastError ? <p>{order.lastError}</p> : story?.deciding.length ? <p>{story.deciding.join(" · ")}</p> : null}
                {order.nextAttemptAt ? <p>{t("orders.detail.nextAttempt", { time: when(order.nextAttemptAt) })}</p> : null}
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        {order.problem === "rejected" ? (
          <Layout.Section variant="fullWidth">
            <Banner tone="critical" title={t("orders.detail.rejectedTitle")}>
              <BlockStack gap="200">
                {story?.deciding.length ? <p>{story.deciding.join(" · ")}</p> : order.lastError ? <p>{order.lastError}</p> : null}
                <p>{t("orders.detail.rejectedBody")}</p>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section variant="fullWidth">
          <Section title={t("orders.detail.timeline")}>
            <InlineGrid columns={{ xs: 2, sm: 3, md: milestones.length }} gap="300">
              {milestones.map((milestone: Milestone) => {
                const at = reached[milestone];
                const failed = milestone === "cancelled";
                return (
                  <BlockStack key={milestone} gap="100" inlineAlign="start">
                    <Badge tone={at ? (failed ? "critical" : "success") : undefined} progress={at ? "complete" : "incomplete"}>
                      {t(`orders.milestone.${milestone}`)}
                    </Badge>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {at ? when(at) : t("orders.milestone.notYet")}
                    </Text>
                  </BlockStack>
                );
              })}
            </InlineGrid>
          </Section>
        </Layout.Section>

        <Layout.Section>
          <BlockStack gap="400">
            <Section title={t("orders.routing.heading")}>
              {story ? (
                <BlockStack gap="300">
                  <Text as="p" variant="bodyMd" fontWeight="semibold">
                    {story.headline}
                  </Text>
                  {story.deciding.length ? (
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        {t("orders.routing.deciding")}
                      </Text>
                      <List type="bullet">
                        {story.deciding.map((line) => (
                          <List.Item key={line}>{line}</List.Item>
                        ))}
                      </List>
                    </BlockStack>
                  ) : null}
                  {order.routing?.moveFrom ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t("orders.routing.movedFrom")}
                    </Text>
                  ) : null}
                  {story.passedOver.length ? (
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        {t("orders.routing.passedOver")}
                      </Text>
                      <List type="bullet">
                        {story.passedOver.map((line) => (
                          <List.Item key={line}>{line}</List.Item>
                        ))}
                      </List>
                    </BlockStack>
                  ) : null}
                  {story.refused.length ? (
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        {t("orders.routing.refused")}
                      </Text>
                      <List type="bullet">
                        {story.refused.map((line) => (
                          <List.Item key={line}>{line}</List.Item>
                        ))}
                      </List>
                    </BlockStack>
                  ) : null}
                </BlockStack>
              ) : (
                <Text as="p" tone="subdued">
                  {t("orders.routing.none")}
                </Text>
              )}
            </Section>

            <Section title={t("orders.detail.history")}>
              <BlockStack gap="300">
                {[...order.events].reverse().map((event, index) => (
                  <BlockStack key={event.id} gap="100">
                    {index > 0 ? <Divider /> : null}
                    <InlineStack align="space-between" blockAlign="start" gap="400" wrap={false}>
                      <BlockStack gap="050">
                        <Text as="span" variant="bodyMd" fontWeight="semibold">
                          {eventKindText(event.kind, t)}
                        </Text>
                        {/* Routing is told above in the merchant's language; other notes carry the warehouse's own words and numbers. */}
                        {event.note && event.kind !== "routed" && event.kind !== "waiting" ? (
                          <Text as="span" variant="bodySm" tone="subdued">
                            {event.note}
                          </Text>
                        ) : null}
                      </BlockStack>
                      <Box minWidth="11rem">
                        <Text as="span" variant="bodySm" tone="subdued" alignment="end">
                          <time dateTime={event.at}>{when(event.at)}</time>
                        </Text>
                      </Box>
                    </InlineStack>
                  </BlockStack>
                ))}
              </BlockStack>
            </Section>
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Section title={t("orders.detail.summary")}>
              <BlockStack gap="200">
                <BlockStack gap="050">
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t("orders.detail.warehouse")}
                  </Text>
                  <Text as="span">{order.warehouseName ?? t("orders.table.noWarehouse")}</Text>
                </BlockStack>
                {order.destination ? (
                  <BlockStack gap="050">
                    <Text as="span" variant="bodySm" tone="subdued">
                      {t("orders.detail.destination")}
                    </Text>
                    <Text as="span">{order.destination}</Text>
                  </BlockStack>
                ) : null}
                <BlockStack gap="050">
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t("orders.detail.warehouseOrder")}
                  </Text>
                  <Text as="span">
                    {order.warehouseOrderRef
                      ? `${order.warehouseOrderRef}${isMessageKey(warehouseStatusKey) ? ` · ${t(warehouseStatusKey)}` : ""}`
                      : t("orders.detail.warehouseOrderNone")}
                  </Text>
                </BlockStack>
                {order.lines.length ? (
                  <BlockStack gap="050">
                    <Text as="span" variant="bodySm" tone="subdued">
                      {t("orders.detail.items")}
                    </Text>
                    {order.lines.map((line, index) => (
                      <Text as="span" key={`${line.sku}-${index}`}>
                        {t("orders.detail.item", { sku: line.sku ?? "—", quantity: line.quantity })}
                      </Text>
                    ))}
                  </BlockStack>
                ) : null}
                {order.attempts > 1 ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t("orders.detail.attempts", { count: order.attempts })}
                  </Text>
                ) : null}
              </BlockStack>
            </Section>

            <Section title={t("orders.detail.shipments")}>
              {order.shipments.length ? (
                <BlockStack gap="200">
                  {order.shipments.map((shipment) => (
                    <BlockStack key={shipment.id} gap="050">
                      <Text as="span">
                        {t("orders.detail.shipment", { units: shipment.units, carrier: shipment.carrier ?? "—", number: shipment.trackingNumber ?? "—" })}
                      </Text>
                      {shipment.trackingUrl ? (
                        <Link url={shipment.trackingUrl} target="_blank">
                          {shipment.trackingUrl}
                        </Link>
                      ) : null}
                      {shipment.shippedAt ? (
                        <Text as="span" variant="bodySm" tone="subdued">
                          {t("orders.detail.shippedAt", { time: when(shipment.shippedAt) })}
                        </Text>
                      ) : null}
                      {shipment.deliveredAt ? (
                        <Text as="span" variant="bodySm" tone="success">
                          {t(shipment.deliveredBy === "shopify" ? "orders.detail.deliveredByShopify" : "orders.detail.deliveredByWarehouse", { time: when(shipment.deliveredAt) })}
                        </Text>
                      ) : null}
                      {shipment.status === "error" && shipment.lastError ? (
                        <Text as="span" variant="bodySm" tone="critical">
                          {t("orders.detail.shipmentError", { error: shipment.lastError })}
                        </Text>
                      ) : null}
                    </BlockStack>
                  ))}
                </BlockStack>
              ) : (
                <Text as="p" tone="subdued">
                  {t("orders.detail.noShipments")}
                </Text>
              )}
            </Section>

            {order.returns.length ? (
              <Section title={t("orders.detail.returns")}>
                <BlockStack gap="200">
                  {order.returns.map((r) => (
                    <Text as="p" key={r.id}>
                      {t("orders.detail.return", { rma: r.rma ?? t("orders.detail.returnNoRma"), sellable: r.sellableUnits, damaged: r.damagedUnits, time: when(r.receivedAt) })}
                    </Text>
                  ))}
                </BlockStack>
              </Section>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
