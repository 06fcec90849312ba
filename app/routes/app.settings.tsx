import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { SaveBar, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, Form, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { useT, type MessageKey } from "../i18n";
import {
  settingsFormChanged,
  supportedTimeZones,
  validateSettings,
  type SettingsErrors,
  type SettingsField,
  type SettingsForm,
} from "../models/settings";
import { loadShopSettings, saveShopSettings } from "../models/settings.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { settings: await loadShopSettings(session.shop), timeZones: supportedTimeZones() };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = validateSettings(Object.fromEntries(await request.formData()));
  if (result.errors) return data({ errors: result.errors }, { status: 422 });
  return { settings: await saveShopSettings(session.shop, result.values) };
};

const SAVE_BAR_ID = "settings-save-bar";

export default function Settings() {
  const { settings, timeZones } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const t = useT();

  const [saved, setSaved] = useState<SettingsForm>(settings);
  const [form, setForm] = useState<SettingsForm>(settings);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const dirty = settingsFormChanged(saved, form);
  const saving = fetcher.state !== "idle";

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if ("errors" in fetcher.data) {
      setErrors(fetcher.data.errors);
      shopify.toast.show(t("settings.fixErrors"), { isError: true });
    } else {
      setSaved(fetcher.data.settings);
      setForm(fetcher.data.settings);
      setErrors({});
      shopify.toast.show(t("settings.saved"));
    }
  }, [fetcher.state, fetcher.data, shopify, t]);

  const save = () => fetcher.submit(form, { method: "post" });
  const discard = () => {
    setForm(saved);
    setErrors({});
  };

  const field = (name: SettingsField) => ({
    value: form[name],
    onChange: (value: string) => {
      setForm((current) => ({ ...current, [name]: value }));
      setErrors(({ [name]: _fixed, ...rest }) => rest);
    },
    error: errors[name] ? t(errors[name] as MessageKey) : undefined,
    name,
  });

  const numberField = (name: SettingsField, label: MessageKey, helpText?: MessageKey, inputMode: "numeric" | "decimal" = "numeric") => (
    <TextField
      {...field(name)}
      label={t(label)}
      helpText={helpText ? t(helpText) : undefined}
      type="text"
      inputMode={inputMode}
      autoComplete="off"
    />
  );

  const timeZoneOptions = useMemo(
    () => (timeZones.includes(form.timeZone) ? timeZones : [form.timeZone, ...timeZones]).map((zone) => ({ label: zone, value: zone })),
    [timeZones, form.timeZone],
  );

  return (
    <Page>
      <TitleBar title={t("settings.title")} />
      <SaveBar id={SAVE_BAR_ID} open={dirty}>
        <button variant="primary" onClick={save} loading={saving ? "" : undefined} disabled={saving}>
          {t("settings.save")}
        </button>
        <button onClick={discard} disabled={saving}>
          {t("settings.discard")}
        </button>
      </SaveBar>
      <Form onSubmit={save}>
        <Layout>
          <Layout.AnnotatedSection title={t("settings.warehouses.heading")}>
            <Card>
              <BlockStack gap="300">
                <Text as="p" variant="bodyMd">
                  {t("warehouses.settingsCard.body")}
                </Text>
                <InlineStack gap="200">
                  <Button url="/app/settings/warehouses">{t("warehouses.settingsCard.manage")}</Button>
                  <Button url="/app/settings/mapping" variant="plain">
                    {t("warehouses.settingsCard.unmapped")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.routing.heading")}>
            <Card>
              <BlockStack gap="300">
                <Text as="p" variant="bodyMd">
                  {t("settings.routing.body")}
                </Text>
                <InlineStack gap="200">
                  <Button url="/app/settings/routing">{t("settings.routing.manage")}</Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.stock.heading")} description={t("settings.stock.description")}>
            <Card>
              <FormLayout>
                {numberField("defaultSafetyStock", "settings.defaultSafetyStock.label", "settings.defaultSafetyStock.help")}
                {numberField(
                  "accuracyTargetPercent",
                  "settings.accuracyTargetPercent.label",
                  "settings.accuracyTargetPercent.help",
                  "decimal",
                )}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.counts.heading")} description={t("settings.counts.description")}>
            <Card>
              <FormLayout>
                <FormLayout.Group condensed>
                  {numberField("countCadenceDaysA", "settings.countCadenceDaysA.label")}
                  {numberField("countCadenceDaysB", "settings.countCadenceDaysB.label")}
                  {numberField("countCadenceDaysC", "settings.countCadenceDaysC.label")}
                </FormLayout.Group>
                <FormLayout.Group>
                  {numberField("abcThresholdAPercent", "settings.abcThresholdAPercent.label", "settings.abcThresholdAPercent.help")}
                  {numberField("abcThresholdBPercent", "settings.abcThresholdBPercent.label", "settings.abcThresholdBPercent.help")}
                </FormLayout.Group>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.variance.heading")} description={t("settings.variance.description")}>
            <Card>
              <FormLayout>
                <FormLayout.Group>
                  {numberField("varianceThresholdUnits", "settings.varianceThresholdUnits.label")}
                  {numberField(
                    "varianceThresholdValue",
                    "settings.varianceThresholdValue.label",
                    "settings.varianceThresholdValue.help",
                    "decimal",
                  )}
                </FormLayout.Group>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.timeZone.heading")} description={t("settings.timeZone.description")}>
            <Card>
              <Select {...field("timeZone")} label={t("settings.timeZone.label")} options={timeZoneOptions} />
            </Card>
          </Layout.AnnotatedSection>
        </Layout>
      </Form>
    </Page>
  );
}
