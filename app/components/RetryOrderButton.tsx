import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Button } from "@shopify/polaris";
import { useEffect, type MouseEvent } from "react";
import { useT } from "../i18n";
import type { action } from "../routes/app.orders";

/** Retry without opening the order: the click stays on the button, not the row's link. */
export function RetryOrderButton({ allocationId, orderName, variant }: { allocationId: string; orderName: string; variant?: "primary" | "secondary" }) {
  const t = useT();
  const shopify = useAppBridge();
  const fetcher = useFetcher<typeof action>();
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (fetcher.data.ok) shopify.toast.show(t("orders.retry.queued", { order: orderName }));
    else shopify.toast.show(t("orders.retry.gone"), { isError: true });
  }, [fetcher.state, fetcher.data, shopify, t, orderName]);
  return (
    <div onClick={(event: MouseEvent) => event.stopPropagation()}>
      <Button
        size="slim"
        variant={variant}
        loading={fetcher.state !== "idle"}
        accessibilityLabel={`${t("orders.retry.button")} ${orderName}`}
        onClick={() => fetcher.submit({ intent: "retry", allocationId }, { method: "post", action: "/app/orders" })}
      >
        {t("orders.retry.button")}
      </Button>
    </div>
  );
}

