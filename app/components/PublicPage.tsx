import type { ReactNode } from "react";
import { AppProvider as PolarisAppProvider, Page } from "@shopify/polaris";
import { useLocale } from "../i18n";
import { polarisTranslationsFor } from "../i18n/polaris";

/** Pages shown outside the Shopify admin (landing, login): Polaris without App Bridge. */
export function PublicPage({ children }: { children: ReactNode }) {
  const locale = useLocale();
  return (
    <PolarisAppProvider i18n={polarisTranslationsFor(locale)}>
      <Page narrowWidth>{children}</Page>
    </PolarisAppProvider>
  );
}
