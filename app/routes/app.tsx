import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { appBridgeScriptUrl } from "../app-bridge.server";
import { appConfig } from "../config.server";
import { I18nProvider, resolveLocale, useT } from "../i18n";
import { polarisTranslationsFor } from "../i18n/polaris";
import { ensureShopInstalled } from "../models/shop.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  await ensureShopInstalled(session.shop, session.scope);
  return {
    apiKey: appConfig().apiKey,
    locale: resolveLocale(request),
    appBridgeUrl: appBridgeScriptUrl(),
  };
};

// Same reason as root.tsx: the admin's `locale` is only on the first URL. Every page's own
// loader authenticates, so nothing is lost by not re-running this one on navigation.
export const shouldRevalidate = () => false;

function AppNavigation() {
  const t = useT();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.dashboard")}
      </Link>
      <Link to="/app/inventory">{t("nav.inventory")}</Link>
      <Link to="/app/orders">{t("nav.orders")}</Link>
      <Link to="/app/counts">{t("nav.counts")}</Link>
      <Link to="/app/discrepancies">{t("nav.discrepancies")}</Link>
      <Link to="/app/settings">{t("nav.settings")}</Link>
    </NavMenu>
  );
}

export default function App() {
  const { apiKey, locale, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={polarisTranslationsFor(locale)}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      <I18nProvider locale={locale}>
        <AppNavigation />
        <Outlet />
      </I18nProvider>
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => {
  return boundary.headers(headersArgs);
};
