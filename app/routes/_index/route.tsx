import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, List, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { PublicPage } from "../../components/PublicPage";
import { useT } from "../../i18n";
import { login } from "../../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Opened from the Shopify admin: go straight into the embedded app, keeping shop/host/locale.
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return { showForm: Boolean(login) };
};

export default function Landing() {
  const { showForm } = useLoaderData<typeof loader>();
  const t = useT();
  const [shop, setShop] = useState("");
  return (
    <PublicPage>
      <BlockStack gap="500">
        <BlockStack gap="200">
          <Text as="h1" variant="heading2xl">
            {t("app.name")}
          </Text>
          <Text as="p" variant="bodyLg">
            {t("landing.tagline")}
          </Text>
        </BlockStack>
        {showForm ? (
          <Card>
            <Form method="post" action="/auth/login">
              <FormLayout>
                <TextField
                  type="text"
                  name="shop"
                  label={t("login.shopLabel")}
                  helpText={t("login.shopHelp")}
                  value={shop}
                  onChange={setShop}
                  autoComplete="on"
                />
                <Button submit variant="primary">
                  {t("landing.login")}
                </Button>
              </FormLayout>
            </Form>
          </Card>
        ) : null}
        <List>
          <List.Item>{t("landing.feature.sync")}</List.Item>
          <List.Item>{t("landing.feature.orders")}</List.Item>
          <List.Item>{t("landing.feature.counts")}</List.Item>
        </List>
      </BlockStack>
    </PublicPage>
  );
}
