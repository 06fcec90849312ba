import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { usesShopifyCdn } from "./app-bridge.server";
import { I18nProvider, resolveLocale } from "./i18n";

// Polaris's stylesheet is served from our own build; no font or style comes from the internet.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  return { locale: resolveLocale(request), preconnectShopifyCdn: usesShopifyCdn() };
};

// Shopify puts `locale` on the URL of the first page load only; client-side navigations drop the
// query string, so re-running this loader would lose the admin's language.
export const shouldRevalidate = () => false;

export default function App() {
  const { locale, preconnectShopifyCdn } = useLoaderData<typeof loader>();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {preconnectShopifyCdn ? <link rel="preconnect" href="https://cdn.shopify.com/" /> : null}
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider locale={locale}>
          <Outlet />
        </I18nProvider>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
