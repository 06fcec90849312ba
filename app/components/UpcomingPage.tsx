import { TitleBar } from "@shopify/app-bridge-react";
import { Card, EmptyState, Layout, Page } from "@shopify/polaris";
import emptyStateImage from "../assets/empty-state.svg?url";
import { useT, type MessageKey } from "../i18n";

interface UpcomingPageProps {
  title: MessageKey;
  heading: MessageKey;
  body: MessageKey;
}

/** A page whose content needs a connected warehouse: says what will appear and where to start. */
export function UpcomingPage({ title, heading, body }: UpcomingPageProps) {
  const t = useT();
  return (
    <Page>
      <TitleBar title={t(title)} />
      <Layout>
        <Layout.Section>
          <Card>
            <EmptyState
              heading={t(heading)}
              action={{ content: t("common.goToSettings"), url: "/app/settings" }}
              image={emptyStateImage}
            >
              <p>{t(body)}</p>
            </EmptyState>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
