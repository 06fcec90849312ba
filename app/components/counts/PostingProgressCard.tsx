// Posting an approved count: its adjustments reach Shopify in batches, then the warehouse. The bar
// follows countPostingProgress, asked every second while the count is being posted; when it is
// done the page loads again. A warehouse whose API cannot adjust stock is said so plainly.
import { useFetcher, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, List, ProgressBar, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useLocale, useT, type MessageKey } from "../../i18n";
import type { CountPostingProgress } from "../../models/counts/posting.server";
import type { TaskActionData } from "../../models/counts/task-page";
import { formatUnits } from "./count-text";

const POLL_MS = 1_000;

export function PostingProgressCard({ taskId, initial, warehouseName }: { taskId: string; initial: CountPostingProgress; warehouseName: string }) {
  const t = useT();
  const locale = useLocale();
  const revalidator = useRevalidator();
  const retry = useFetcher<TaskActionData>({ key: `count-retry-${taskId}` });
  const [progress, setProgress] = useState(initial);
  const reloaded = useRef(false);
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const underWay = progress.status === "waiting" || progress.status === "posting";

  useEffect(() => setProgress(initial), [initial]);
  useEffect(() => {
    if (!underWay) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/app/counts/${taskId}/progress`);
        if (!response.ok || stopped) return;
        const next = (await response.json()) as CountPostingProgress;
        if (stopped) return;
        setProgress(next);
        if (next.status === "posted" && !reloaded.current) {
          reloaded.current = true;
          revalidate.current();
        }
      } catch {
        // the next tick asks again
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [underWay, taskId]);

  const n = (value: number) => formatUnits(value, locale);
  const shopifyDone = progress.shopify.posted + progress.shopify.failed;
  const warehouseDone = progress.warehouse.posted + progress.warehouse.notSupported + progress.warehouse.failed;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("counts.posting.heading")}
          </Text>
          <Text as="span" tone={progress.status === "posted" ? "success" : "subdued"} fontWeight="semibold">
            {t(`counts.posting.status.${progress.status}` as MessageKey)}
          </Text>
        </InlineStack>
        <ProgressBar
          progress={progress.percent}
          tone={progress.shopify.failed || progress.warehouse.failed ? "critical" : progress.status === "posted" ? "success" : "highlight"}
          size="small"
          animated={underWay}
        />
        {progress.total === 0 ? (
          <Text as="p">{t("counts.posting.nothing")}</Text>
        ) : (
          <BlockStack gap="100">
            <Text as="p">
              {t("counts.posting.shopify", { done: n(shopifyDone), total: n(progress.total), batches: n(progress.batches.done), batchTotal: n(progress.batches.total) })}
            </Text>
            <Text as="p">{t("counts.posting.warehouse", { done: n(warehouseDone), total: n(progress.total), warehouse: warehouseName })}</Text>
          </BlockStack>
        )}
        {progress.warehouseNotAdjusted ? (
          <Banner tone="warning" title={t("counts.posting.notAdjusted.title", { warehouse: warehouseName })}>
            <p>{t(progress.warehouse.notSupported ? "counts.posting.notAdjusted.notSupported" : "counts.posting.notAdjusted.refused", { warehouse: warehouseName })}</p>
          </Banner>
        ) : null}
        {progress.problems.length ? (
          <Banner tone="critical" title={t("counts.posting.problems", { count: progress.problems.length })}>
            <List type="bullet">
              {progress.problems.map((problem) => (
                <List.Item key={problem.warehouseSku}>
                  <Text as="span" fontWeight="semibold">
                    {problem.warehouseSku}
                  </Text>
                  {`: ${problem.message}`}
                </List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        <InlineStack gap="200" align="end">
          {progress.status === "posted" ? <Button url={`/app/discrepancies?count=${taskId}`}>{t("counts.posting.report")}</Button> : null}
          {underWay ? (
            <Button onClick={() => retry.submit({ intent: "retry_posting" }, { method: "post" })} loading={retry.state !== "idle"}>
              {t("counts.posting.retry")}
            </Button>
          ) : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
