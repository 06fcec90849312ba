import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { SaveBar, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Card, ChoiceList, Form, FormLayout, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useT, type MessageKey } from "../i18n";
import { isCountKind } from "../counts/count-kind";
import { countPageContext, productIdsForSkus, skusOfProducts } from "../models/counts/count-pages.server";
import { CountPlanNotFoundError } from "../models/counts/errors";
import {
  CAMPAIGN_SCOPES,
  checkPlanFields,
  emptyPlanFields,
  PLAN_FORM_KINDS,
  planFieldsChanged,
  planFieldsOf,
  readPlanFields,
  type PlanField,
  type PlanFieldErrors,
  type PlanFields,
} from "../models/counts/plan-fields";
import { createCountPlan, getCountPlan, updateCountPlan } from "../models/counts/plans.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const context = await countPageContext(shop);
  const planId = params.planId ?? "new";
  if (planId === "new") {
    const kind = new URL(request.url).searchParams.get("kind") ?? "rolling";
    return { planId: null, fields: emptyPlanFields(isCountKind(kind) ? kind : "rolling"), context };
  }
  try {
    const plan = await getCountPlan(shop, planId);
    const productIds = plan.settings?.kind === "campaign" && plan.settings.scope.by === "products" ? plan.settings.scope.productIds : [];
    const skus = await skusOfProducts(shop, productIds);
    return { planId: plan.id, fields: planFieldsOf(plan, context.timeZone, () => skus), context };
  } catch (error) {
    if (error instanceof CountPlanNotFoundError) throw new Response("This count plan was not found.", { status: 404 });
    throw error;
  }
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const fields = readPlanFields(Object.fromEntries(await request.formData()));
  const { timeZone } = await countPageContext(shop);
  const checked = checkPlanFields(fields, timeZone);
  if (checked.errors) return data({ errors: checked.errors, serverErrors: [] as string[] }, { status: 422 });
  const input = checked.input;
  if (checked.productSkus.length) {
    const found = await productIdsForSkus(shop, checked.productSkus);
    if (found.unknown.length) {
      return data(
        {
          errors: { productSkus: { key: "counts.plan.errors.unknownSkus", vars: { skus: found.unknown.slice(0, 10).join(", "), count: found.unknown.length } } } as PlanFieldErrors,
          serverErrors: [] as string[],
        },
        { status: 422 }
      );
    }
    input.settings = { ...(input.settings as Record<string, unknown>), scope: { by: "products", productIds: found.productIds } };
  }
  const planId = params.planId && params.planId !== "new" ? params.planId : null;
  try {
    const result = planId ? await updateCountPlan(shop, planId, input) : await createCountPlan(shop, input);
    if (result.errors) {
      // The plan's own rules refused it: said as the rules say it (English), next to the form.
      const errors: PlanFieldErrors = result.errors.warehouseId ? { warehouseId: { key: "counts.plan.errors.warehouse" } } : {};
      return data({ errors, serverErrors: Object.values(result.errors).filter((message): message is string => typeof message === "string") }, { status: 422 });
    }
    return { plan: { id: result.plan.id, name: result.plan.name } };
  } catch (error) {
    if (error instanceof CountPlanNotFoundError) return data({ errors: {} as PlanFieldErrors, serverErrors: [error.message] }, { status: 404 });
    throw error;
  }
};

const SAVE_BAR_ID = "count-plan-save-bar";

export default function CountPlanPage() {
  const { planId, fields: initial, context } = useLoaderData<typeof loader>();
  const t = useT();
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const fetcher = useFetcher<typeof action>();
  const [form, setForm] = useState<PlanFields>(initial);
  const [errors, setErrors] = useState<PlanFieldErrors>({});
  const [serverErrors, setServerErrors] = useState<string[]>([]);
  const dirty = planFieldsChanged(initial, form);
  const saving = fetcher.state !== "idle";

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if ("errors" in fetcher.data) {
      setErrors(fetcher.data.errors);
      setServerErrors(fetcher.data.serverErrors);
      shopify.toast.show(t("counts.plan.fixErrors"), { isError: true });
    } else {
      shopify.toast.show(t("counts.plan.saved", { name: fetcher.data.plan.name }));
      setForm(initial);
      navigate("/app/counts");
    }
  }, [fetcher.state, fetcher.data, initial, navigate, shopify, t]);

  const save = () => fetcher.submit({ ...form }, { method: "post" });
  const discard = () => {
    setForm(initial);
    setErrors({});
    setServerErrors([]);
  };
  const errorText = (name: PlanField) => {
    const error = errors[name];
    return error ? t(error.key as MessageKey, error.vars) : undefined;
  };
  const field = (name: PlanField) => ({
    value: form[name],
    onChange: (value: string) => {
      setForm((current) => ({ ...current, [name]: value }));
      setErrors(({ [name]: _fixed, ...rest }) => rest);
    },
    error: errorText(name),
    name,
    autoComplete: "off",
  });

  const kind = form.kind;
  const title = planId ? t("counts.plan.editTitle", { name: initial.name }) : t("counts.plan.newTitle");
  return (
    <Page backAction={{ content: t("counts.title"), url: "/app/counts" }} title={title}>
      <TitleBar title={title} />
      <SaveBar id={SAVE_BAR_ID} open={dirty}>
        <button variant="primary" onClick={save} loading={saving ? "" : undefined} disabled={saving}>
          {t("counts.plan.save")}
        </button>
        <button onClick={discard} disabled={saving}>
          {t("counts.plan.discard")}
        </button>
      </SaveBar>
      <Form onSubmit={save}>
        <Layout>
          {serverErrors.length ? (
            <Layout.Section>
              <Banner tone="critical" title={t("counts.plan.refused")}>
                <BlockStack gap="100">
                  {serverErrors.map((message) => (
                    <p key={message}>{message}</p>
                  ))}
                </BlockStack>
              </Banner>
            </Layout.Section>
          ) : null}
          <Layout.AnnotatedSection title={t("counts.plan.section.what")} description={t("counts.plan.section.whatHelp")}>
            <Card>
              <FormLayout>
                <TextField {...field("name")} label={t("counts.plan.field.name")} placeholder={t("counts.plan.field.namePlaceholder")} />
                <ChoiceList
                  title={t("counts.plan.field.kind")}
                  choices={PLAN_FORM_KINDS.map((value) => ({
                    value,
                    label: t(`counts.kind.${value}` as MessageKey),
                    helpText: t(`counts.kindHelp.${value}` as MessageKey),
                  }))}
                  selected={[kind]}
                  onChange={(selected) => field("kind").onChange(selected[0] ?? "rolling")}
                  error={errorText("kind")}
                />
                <Select
                  {...field("warehouseId")}
                  label={t("counts.plan.field.warehouse")}
                  options={[{ label: t("counts.plans.everyWarehouse"), value: "" }, ...context.warehouses.map((w) => ({ label: w.name, value: w.id }))]}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("counts.plan.section.when")} description={t(`counts.plan.whenHelp.${kind}` as MessageKey)}>
            <Card>
              <FormLayout>
                {kind === "rolling" ? (
                  <FormLayout.Group>
                    <TextField {...field("everyDays")} label={t("counts.plan.field.everyDays")} inputMode="numeric" helpText={t("counts.plan.field.everyDaysHelp")} />
                    <TextField {...field("dailyLines")} label={t("counts.plan.field.dailyLines")} inputMode="numeric" helpText={t("counts.plan.field.dailyLinesHelp")} />
                  </FormLayout.Group>
                ) : null}
                {kind === "abc" ? (
                  <>
                    <FormLayout.Group condensed>
                      <TextField {...field("cadenceA")} label={t("counts.plan.field.cadenceA")} inputMode="numeric" placeholder={String(context.abcCadence.A)} />
                      <TextField {...field("cadenceB")} label={t("counts.plan.field.cadenceB")} inputMode="numeric" placeholder={String(context.abcCadence.B)} />
                      <TextField {...field("cadenceC")} label={t("counts.plan.field.cadenceC")} inputMode="numeric" placeholder={String(context.abcCadence.C)} />
                    </FormLayout.Group>
                    <FormLayout.Group>
                      <TextField {...field("thresholdA")} label={t("counts.plan.field.thresholdA")} inputMode="numeric" helpText={t("counts.plan.field.thresholdAHelp")} />
                      <TextField {...field("thresholdB")} label={t("counts.plan.field.thresholdB")} inputMode="numeric" helpText={t("counts.plan.field.thresholdBHelp")} />
                    </FormLayout.Group>
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t("counts.plan.field.abcDefaults")}
                    </Text>
                  </>
                ) : null}
                {kind === "full" ? (
                  <>
                    <TextField {...field("countOn")} type="date" label={t("counts.plan.field.countOn")} />
                    <Banner tone="warning">
                      <p>{t("counts.plan.fullFreezes")}</p>
                    </Banner>
                  </>
                ) : null}
                {kind === "campaign" ? (
                  <>
                    <ChoiceList
                      title={t("counts.plan.field.scopeBy")}
                      choices={CAMPAIGN_SCOPES.map((value) => ({ value, label: t(`counts.plan.scope.${value}` as MessageKey) }))}
                      selected={[form.scopeBy]}
                      onChange={(selected) => field("scopeBy").onChange(selected[0] ?? "tag")}
                      error={errorText("scopeBy")}
                    />
                    {form.scopeBy === "products" ? (
                      <TextField {...field("productSkus")} label={t("counts.plan.field.productSkus")} multiline={4} helpText={t("counts.plan.field.productSkusHelp")} />
                    ) : null}
                    {form.scopeBy === "collection" ? (
                      <TextField {...field("collectionId")} label={t("counts.plan.field.collectionId")} helpText={t("counts.plan.field.collectionIdHelp")} />
                    ) : null}
                    {form.scopeBy === "tag" ? <TextField {...field("tag")} label={t("counts.plan.field.tag")} helpText={t("counts.plan.field.tagHelp")} /> : null}
                    <FormLayout.Group>
                      <TextField {...field("dueOn")} type="date" label={t("counts.plan.field.dueOn")} helpText={t("counts.plan.field.dueOnHelp")} />
                      <TextField {...field("dueTime")} type="time" label={t("counts.plan.field.dueTime")} helpText={t("counts.plan.field.timeZone", { zone: context.timeZone })} />
                    </FormLayout.Group>
                  </>
                ) : null}
                {kind === "exception" ? (
                  <>
                    <TextField
                      {...field("driftUnits")}
                      label={t("counts.plan.field.driftUnits")}
                      inputMode="numeric"
                      placeholder="5"
                      helpText={t("counts.plan.field.driftUnitsHelp")}
                    />
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t("counts.plan.exceptionExplained")}
                    </Text>
                  </>
                ) : null}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>
      </Form>
    </Page>
  );
}
