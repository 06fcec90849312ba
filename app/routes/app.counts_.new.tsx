import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, Card, Checkbox, ChoiceList, Form, FormLayout, Layout, Page, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import { countProblemText } from "../components/counts/count-text";
import { useT, type MessageKey } from "../i18n";
import { countProblem } from "../models/counts/count-problem";
import { countPageContext, createManualCount, staffActor } from "../models/counts/count-pages.server";
import { MANUAL_COUNT_KINDS, type ManualCountField, type ManualCountFields } from "../models/counts/new-count-fields";
import type { FieldError } from "../models/counts/plan-fields";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const context = await countPageContext(session.shop);
  const warehouseId = new URL(request.url).searchParams.get("warehouse");
  return { context, warehouseId: context.warehouses.find((w) => w.id === warehouseId)?.id ?? context.warehouses[0]?.id ?? "" };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const session = auth.session;
  const form = Object.fromEntries(await request.formData());
  const text = (name: ManualCountField) => (typeof form[name] === "string" ? String(form[name]).trim() : "");
  const fields: ManualCountFields = {
    warehouseId: text("warehouseId"),
    kind: text("kind"),
    skus: text("skus"),
    dueOn: text("dueOn"),
    dueTime: text("dueTime"),
    blind: text("blind"),
  };
  try {
    const result = await createManualCount(session.shop, fields, { actor: staffActor(auth) });
    if (result.errors) return data({ errors: result.errors, problem: null }, { status: 422 });
    return redirect(`/app/counts/${result.task.id}`);
  } catch (error) {
    const problem = countProblem(error);
    if (!problem) throw error;
    return data({ errors: {} as Partial<Record<ManualCountField, FieldError>>, problem }, { status: 422 });
  }
};

export default function NewCount() {
  const { context, warehouseId } = useLoaderData<typeof loader>();
  const t = useT();
  const fetcher = useFetcher<typeof action>();
  const [form, setForm] = useState<ManualCountFields>({ warehouseId, kind: "campaign", skus: "", dueOn: "", dueTime: "", blind: "true" });
  const errors = fetcher.data && "errors" in fetcher.data ? fetcher.data.errors : {};
  const problem = fetcher.data && "problem" in fetcher.data ? fetcher.data.problem : null;
  const creating = fetcher.state !== "idle";
  const set = (name: ManualCountField) => (value: string) => setForm((current) => ({ ...current, [name]: value }));
  const errorText = (name: ManualCountField) => {
    const error = errors[name];
    return error ? t(error.key as MessageKey, error.vars) : undefined;
  };
  const create = () => fetcher.submit({ ...form }, { method: "post" });
  const frozenWarning = form.kind === "full";

  return (
    <Page
      backAction={{ content: t("counts.title"), url: "/app/counts" }}
      title={t("counts.new.title")}
      primaryAction={{ content: t("counts.new.create"), onAction: create, loading: creating }}
    >
      <TitleBar title={t("counts.new.title")} />
      <Form onSubmit={create}>
        <Layout>
          {problem ? (
            <Layout.Section>
              <Banner tone="critical">
                <p>{countProblemText(problem, t)}</p>
              </Banner>
            </Layout.Section>
          ) : null}
          <Layout.AnnotatedSection title={t("counts.new.section")} description={t("counts.new.sectionHelp")}>
            <Card>
              <FormLayout>
                <Select
                  label={t("counts.plan.field.warehouse")}
                  name="warehouseId"
                  options={context.warehouses.map((w) => ({ label: w.name, value: w.id }))}
                  value={form.warehouseId}
                  onChange={set("warehouseId")}
                  error={errorText("warehouseId")}
                />
                <ChoiceList
                  title={t("counts.new.kind")}
                  choices={MANUAL_COUNT_KINDS.map((value) => ({
                    value,
                    label: t(`counts.new.kindLabel.${value}` as MessageKey),
                    helpText: t(`counts.new.kindHelp.${value}` as MessageKey),
                  }))}
                  selected={[form.kind]}
                  onChange={(selected) => set("kind")(selected[0] ?? "campaign")}
                  error={errorText("kind")}
                />
                {form.kind !== "full" ? (
                  <TextField
                    label={t("counts.new.skus")}
                    name="skus"
                    value={form.skus}
                    onChange={set("skus")}
                    multiline={4}
                    autoComplete="off"
                    helpText={t("counts.new.skusHelp")}
                    error={errorText("skus")}
                  />
                ) : null}
                {frozenWarning ? (
                  <Banner tone="warning">
                    <p>{t("counts.plan.fullFreezes")}</p>
                  </Banner>
                ) : null}
                <FormLayout.Group>
                  <TextField label={t("counts.new.dueOn")} type="date" name="dueOn" value={form.dueOn} onChange={set("dueOn")} autoComplete="off" error={errorText("dueOn")} />
                  <TextField
                    label={t("counts.plan.field.dueTime")}
                    type="time"
                    name="dueTime"
                    value={form.dueTime}
                    onChange={set("dueTime")}
                    autoComplete="off"
                    error={errorText("dueTime")}
                    helpText={t("counts.plan.field.timeZone", { zone: context.timeZone })}
                  />
                </FormLayout.Group>
                <Checkbox
                  label={t("counts.new.blind")}
                  helpText={t("counts.new.blindHelp")}
                  checked={form.blind !== "false"}
                  onChange={(checked) => set("blind")(checked ? "true" : "false")}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>
      </Form>
    </Page>
  );
}
