// Settings > Order routing: the merchant's routing rules (ordered, editable) and whether an order
// may be split across warehouses. What the rules mean: app/orders/routing-rules.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { SaveBar, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Divider,
  Form,
  FormLayout,
  InlineError,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { isMessageKey, useT } from "../i18n";
import { loadRoutingSettings, routingWarehouseIds, saveRoutingSettings, type RoutingForm, type RoutingRuleForm } from "../models/routing-settings.server";
import { ROUTING_RULE_KINDS, validateRoutingRules, type RoutingRuleErrors, type RoutingRuleKind } from "../orders/routing-rules";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadRoutingSettings(session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  let input: unknown;
  try {
    input = await request.json();
  } catch {
    return data({ errors: { rules: "routing.errors.rulesList" } as RoutingRuleErrors }, { status: 422 });
  }
  const result = validateRoutingRules(input && typeof input === "object" ? (input as Record<string, unknown>) : {}, await routingWarehouseIds(session.shop));
  if (result.errors) return data({ errors: result.errors }, { status: 422 });
  const saved = await saveRoutingSettings(session.shop, result.values);
  return { form: saved.form };
};

const SAVE_BAR_ID = "routing-save-bar";

interface EditedRule extends RoutingRuleForm {
  /** A key for React that survives reordering. */
  key: number;
}

export default function RoutingSettings() {
  const loaded = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const t = useT();
  const nextKey = useRef(0);
  const withKeys = (rules: RoutingRuleForm[]): EditedRule[] => rules.map((rule) => ({ ...rule, key: nextKey.current++ }));

  const [saved, setSaved] = useState<RoutingForm>(loaded.form);
  const [rules, setRules] = useState<EditedRule[]>(() => withKeys(loaded.form.rules));
  const [allowSplit, setAllowSplit] = useState(loaded.form.allowSplit);
  const [maxShipments, setMaxShipments] = useState(loaded.form.maxShipments);
  const [errors, setErrors] = useState<RoutingRuleErrors>({});
  const saving = fetcher.state !== "idle";

  const current: RoutingForm = useMemo(
    () => ({ rules: rules.map(({ kind, warehouseId, markets }) => ({ kind, warehouseId, markets })), allowSplit, maxShipments }),
    [rules, allowSplit, maxShipments],
  );
  const dirty = JSON.stringify(current) !== JSON.stringify(saved);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if ("errors" in fetcher.data) {
      setErrors(fetcher.data.errors);
      shopify.toast.show(t("routing.fixErrors"), { isError: true });
    } else {
      setSaved(fetcher.data.form);
      setRules(withKeys(fetcher.data.form.rules));
      setAllowSplit(fetcher.data.form.allowSplit);
      setMaxShipments(fetcher.data.form.maxShipments);
      setErrors({});
      shopify.toast.show(t("routing.saved"));
    }
    // withKeys only reads a ref
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data, shopify, t]);

  const save = () => fetcher.submit(current as never, { method: "post", encType: "application/json" });
  const discard = () => {
    setRules(withKeys(saved.rules));
    setAllowSplit(saved.allowSplit);
    setMaxShipments(saved.maxShipments);
    setErrors({});
  };

  const errorText = (key: string) => {
    const message = errors[key];
    return message && isMessageKey(message) ? t(message) : undefined;
  };
  // Errors are by position: once rules move, they would point at the wrong rule.
  const restructure = (next: EditedRule[]) => {
    setRules(next);
    setErrors(({ maxShipments: kept }): RoutingRuleErrors => (kept ? { maxShipments: kept } : {}));
  };
  const update = (index: number, field: keyof RoutingRuleForm, value: string) => {
    setRules((list) => list.map((rule, i) => (i === index ? { ...rule, [field]: value } : rule)));
    setErrors(({ [`rules.${index}.${field}`]: _fixed, [`rules.${index}`]: _rule, ...rest }) => rest);
  };
  const move = (index: number, by: -1 | 1) => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule!);
    restructure(next);
  };
  const add = () => restructure([...rules, { key: nextKey.current++, kind: "prefer_warehouse", warehouseId: loaded.warehouses[0]?.id ?? "", markets: "" }]);

  const kindOptions = ROUTING_RULE_KINDS.map((kind) => ({ label: t(`routing.kind.${kind}`), value: kind }));
  const warehouseOptions = [
    { label: t("routing.rules.chooseWarehouse"), value: "", disabled: true },
    ...loaded.warehouses.map((w) => ({ label: w.name, value: w.id })),
  ];

  return (
    <Page>
      <TitleBar title={t("routing.title")}>
        <a variant="breadcrumb" href="/app/settings">
          {t("nav.settings")}
        </a>
      </TitleBar>
      <SaveBar id={SAVE_BAR_ID} open={dirty}>
        <button variant="primary" onClick={save} loading={saving ? "" : undefined} disabled={saving}>
          {t("routing.save")}
        </button>
        <button onClick={discard} disabled={saving}>
          {t("routing.discard")}
        </button>
      </SaveBar>
      <Form onSubmit={save}>
        <Layout>
          <Layout.Section>
            <BlockStack gap="300">
              {loaded.unreadable ? (
                <Banner tone="critical">
                  <p>{t("routing.unreadable")}</p>
                </Banner>
              ) : null}
              <Text as="p" variant="bodyMd">
                {t("routing.intro")}
              </Text>
            </BlockStack>
          </Layout.Section>
          <Layout.AnnotatedSection title={t("routing.rules.heading")} description={t("routing.rules.description")}>
            <Card>
              <BlockStack gap="400">
                {errorText("rules") ? <InlineError message={errorText("rules")!} fieldID="routing-rules" /> : null}
                {rules.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("routing.rules.none")}
                  </Text>
                ) : null}
                {rules.map((rule, index) => {
                  const number = index + 1;
                  return (
                    <BlockStack key={rule.key} gap="200">
                      {index > 0 ? <Divider /> : null}
                      <InlineStack align="space-between" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          {t("routing.rules.number", { number })}
                        </Text>
                        <InlineStack gap="100">
                          <Button size="slim" variant="tertiary" disabled={index === 0} onClick={() => move(index, -1)} accessibilityLabel={t("routing.rules.moveUp", { number })}>
                            ↑
                          </Button>
                          <Button size="slim" variant="tertiary" disabled={index === rules.length - 1} onClick={() => move(index, 1)} accessibilityLabel={t("routing.rules.moveDown", { number })}>
                            ↓
                          </Button>
                          <Button size="slim" variant="tertiary" tone="critical" onClick={() => restructure(rules.filter((_, i) => i !== index))} accessibilityLabel={t("routing.rules.remove", { number })}>
                            {t("routing.rules.removeShort")}
                          </Button>
                        </InlineStack>
                      </InlineStack>
                      <FormLayout>
                        <FormLayout.Group condensed>
                          <Select
                            label={t("routing.rules.kind")}
                            options={kindOptions}
                            value={rule.kind}
                            onChange={(value) => update(index, "kind", value as RoutingRuleKind)}
                            error={errorText(`rules.${index}.kind`)}
                          />
                          <Select
                            label={t("routing.rules.warehouse")}
                            options={warehouseOptions}
                            value={rule.warehouseId}
                            onChange={(value) => update(index, "warehouseId", value)}
                            error={errorText(`rules.${index}.warehouseId`)}
                          />
                        </FormLayout.Group>
                        <TextField
                          label={t("routing.rules.markets")}
                          helpText={t("routing.rules.marketsHelp")}
                          value={rule.markets}
                          onChange={(value) => update(index, "markets", value)}
                          error={errorText(`rules.${index}.markets`)}
                          autoComplete="off"
                        />
                      </FormLayout>
                      {errorText(`rules.${index}`) ? <InlineError message={errorText(`rules.${index}`)!} fieldID={`routing-rule-${index}`} /> : null}
                    </BlockStack>
                  );
                })}
                <Box>
                  <Button onClick={add} disabled={loaded.warehouses.length === 0}>
                    {t("routing.rules.add")}
                  </Button>
                </Box>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("routing.split.heading")} description={t("routing.split.description")}>
            <Card>
              <FormLayout>
                <Checkbox label={t("routing.split.allow")} helpText={t("routing.split.allowHelp")} checked={allowSplit} onChange={setAllowSplit} />
                <TextField
                  label={t("routing.split.max")}
                  helpText={t("routing.split.maxHelp")}
                  value={maxShipments}
                  onChange={(value) => {
                    setMaxShipments(value);
                    setErrors(({ maxShipments: _fixed, ...rest }) => rest);
                  }}
                  disabled={!allowSplit}
                  error={errorText("maxShipments")}
                  inputMode="numeric"
                  autoComplete="off"
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("routing.warehouses.heading")} description={t("routing.warehouses.description")}>
            <Card>
              <BlockStack gap="200">
                {loaded.warehouses.map((w) => (
                  <Text as="p" key={w.id}>
                    {t("routing.warehouses.line", {
                      warehouse: w.name,
                      priority: w.priority,
                      markets: w.regions.includes("*") ? t("warehouses.routing.everywhere") : w.regions.join(", "),
                    })}
                  </Text>
                ))}
                <Box>
                  <Button url="/app/settings/warehouses" variant="plain">
                    {t("routing.warehouses.edit")}
                  </Button>
                </Box>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>
      </Form>
    </Page>
  );
}
