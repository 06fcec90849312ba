// The counter's scanner field: ONE input that keeps the focus. Scan or type a SKU or barcode, Enter;
// type the quantity, Enter; the line is saved and the field is ready for the next code. A code that
// is on no line of the count is reported on the spot, under the field. A barcode scanner is a
// keyboard that types the code and Enter, so it needs nothing else.
import { useFetcher } from "@remix-run/react";
import { BlockStack, Box, Card, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useLocale, useT } from "../../i18n";
import type { CountSheet, CountSheetLineView } from "../../models/counts/counting.server";
import type { TaskActionData } from "../../models/counts/task-page";
import { countProblemText, formatUnits } from "./count-text";

export const SCANNER_FIELD_ID = "count-scanner-field";

type Step = "code" | "quantity";

interface Message {
  tone: "success" | "critical";
  text: string;
}

function productName(line: Pick<CountSheetLineView, "productTitle" | "variantTitle">): string {
  return [line.productTitle, line.variantTitle && line.variantTitle !== "Default Title" ? line.variantTitle : null].filter(Boolean).join(" — ");
}

/** The lines a typed code names on the sheet itself: by SKU (ignoring case), then by barcode. */
function matchLocally(lines: readonly CountSheetLineView[], code: string): CountSheetLineView | null {
  const wanted = code.trim().toUpperCase();
  if (!wanted) return null;
  const bySku = lines.filter((line) => line.warehouseSku.trim().toUpperCase() === wanted);
  if (bySku.length === 1) return bySku[0]!;
  const byBarcode = lines.filter((line) => line.barcode != null && line.barcode === code.trim());
  return byBarcode.length === 1 ? byBarcode[0]! : null;
}

export function CountScanner({ taskId, sheet }: { taskId: string; sheet: CountSheet }) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<TaskActionData>({ key: `count-scanner-${taskId}` });
  const [step, setStep] = useState<Step>("code");
  const [value, setValue] = useState("");
  const [lineId, setLineId] = useState<string | null>(null);
  const [bin, setBin] = useState("");
  const [mode, setMode] = useState<"set" | "add">("set");
  const [message, setMessage] = useState<Message | null>(null);
  const [handled, setHandled] = useState<unknown>(null);
  const line = useMemo(() => sheet.lines.find((l) => l.lineId === lineId) ?? null, [sheet.lines, lineId]);
  const busy = fetcher.state !== "idle";

  // Focus goes back to the field without touching what is in it: a scanner may already be typing
  // the next code. Only a refused code is selected, so that the next scan replaces it.
  const focus = useCallback((selectText = false) => {
    const input = document.getElementById(SCANNER_FIELD_ID) as HTMLInputElement | null;
    if (!input) return;
    if (document.activeElement !== input) input.focus();
    if (selectText) input.select();
  }, []);

  const chooseLine = useCallback(
    (chosen: CountSheetLineView) => {
      setLineId(chosen.lineId);
      setStep("quantity");
      setValue("");
      setMessage(null);
      setTimeout(() => focus(), 0);
    },
    [focus]
  );

  // A click on a row of the sheet picks that line: the next number typed is its quantity.
  useEffect(() => {
    const pick = (event: Event) => {
      const chosen = sheet.lines.find((l) => l.lineId === (event as CustomEvent<string>).detail);
      if (chosen) chooseLine(chosen);
    };
    window.addEventListener("tallysync:count-line", pick);
    return () => window.removeEventListener("tallysync:count-line", pick);
  }, [sheet.lines, chooseLine]);

  // What was sent: the field is cleared at once, so that what a scanner types while the answer is
  // on its way (the quantity after a code, the next code after a quantity) is kept.
  const sent = useRef<{ intent: "lookup" | "record"; text: string; lineId: string | null } | null>(null);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data || fetcher.data === handled) return;
    setHandled(fetcher.data);
    const result = fetcher.data;
    const request = sent.current;
    sent.current = null;
    if (result.problem) {
      setMessage({ tone: "critical", text: countProblemText(result.problem, t) });
      // The refused code, or the refused quantity of its line, comes back to be typed again.
      const retype = request?.intent === "lookup" || (result.problem.code === "invalid_quantity" && request?.lineId != null);
      setStep(retype && request?.intent === "record" ? "quantity" : "code");
      setLineId(retype && request?.intent === "record" ? request.lineId : null);
      if (retype) setValue(request!.text);
      setTimeout(() => focus(true), 0);
      return;
    }
    if (result.intent === "lookup") {
      setLineId(result.line.lineId);
      setStep("quantity");
      setMessage(null);
    } else if (result.intent === "record") {
      setMessage({
        tone: "success",
        text: t(result.recorded === "recount" ? "counts.scanner.savedRecount" : "counts.scanner.saved", {
          sku: result.line.warehouseSku,
          quantity: formatUnits(result.quantity, locale),
        }),
      });
    }
    setTimeout(() => focus(), 0);
  }, [fetcher.state, fetcher.data, handled, t, locale, focus]);

  // Back to the field when the count moves on (a recount started from the page's button).
  useEffect(() => focus(), [focus, sheet.task.status]);

  const enter = () => {
    const text = value.trim();
    if (!text || busy) return;
    if (step === "code") {
      const local = matchLocally(sheet.lines, text);
      if (local) {
        chooseLine(local);
        return;
      }
      sent.current = { intent: "lookup", text, lineId: null };
      setValue("");
      fetcher.submit({ intent: "lookup", code: text }, { method: "post" });
      return;
    }
    // A code scanned instead of a quantity: that line is counted next, not a quantity of millions.
    const other = matchLocally(sheet.lines, text);
    if (other && !/^\d{1,6}$/.test(text)) {
      chooseLine(other);
      return;
    }
    if (!/^\+?\d+$/.test(text)) {
      setMessage({ tone: "critical", text: t("counts.scanner.wholeNumber") });
      setTimeout(() => focus(true), 0);
      return;
    }
    sent.current = { intent: "record", text, lineId };
    setValue("");
    setStep("code");
    setLineId(null);
    fetcher.submit({ intent: "record", lineId: lineId ?? "", quantity: text, bin, mode }, { method: "post" });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      enter();
    } else if (event.key === "Escape") {
      event.preventDefault();
      setStep("code");
      setLineId(null);
      setValue("");
      setMessage(null);
    }
  };

  const recounting = line?.recountRequested ?? false;
  const counted = recounting ? line?.recountQuantity : line?.countedQuantity;
  const label = step === "code" ? t("counts.scanner.codeLabel") : t("counts.scanner.quantityLabel", { sku: line?.warehouseSku ?? "" });

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("counts.scanner.heading")}
          </Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {sheet.blind ? t("counts.scanner.blind") : t("counts.scanner.notBlind")}
          </Text>
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("counts.scanner.whatToCount")}
        </Text>
        <div onKeyDown={onKeyDown}>
          <TextField
            id={SCANNER_FIELD_ID}
            label={label}
            value={value}
            onChange={(next) => {
              setValue(next);
              if (message?.tone === "critical") setMessage(null);
            }}
            autoComplete="off"
            inputMode={step === "quantity" ? "numeric" : "text"}
            placeholder={step === "code" ? t("counts.scanner.codePlaceholder") : t("counts.scanner.quantityPlaceholder")}
            helpText={step === "code" ? t("counts.scanner.codeHelp") : t("counts.scanner.quantityHelp")}
            error={message?.tone === "critical" ? message.text : undefined}
            size="slim"
            monospaced
          />
        </div>
        {message?.tone === "success" ? (
          <Text as="p" tone="success" fontWeight="semibold">
            {message.text}
          </Text>
        ) : null}
        {line && step === "quantity" ? (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" variant="headingSm">
                  {line.warehouseSku}
                </Text>
                <Text as="span">{productName(line) || t("counts.sheet.noProduct")}</Text>
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {[
                  line.barcode ? t("counts.sheet.barcodeIs", { barcode: line.barcode }) : null,
                  line.bin ? t("counts.sheet.binIs", { bin: line.bin }) : null,
                  counted != null ? t(recounting ? "counts.scanner.recountedSoFar" : "counts.scanner.countedSoFar", { quantity: formatUnits(counted, locale) }) : null,
                  recounting ? t("counts.scanner.recountAsked") : null,
                  line.expectedQuantity != null ? t("counts.sheet.expectedIs", { quantity: formatUnits(line.expectedQuantity, locale) }) : null,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </Text>
            </BlockStack>
          </Box>
        ) : null}
        <InlineStack gap="300" wrap>
          <Box minWidth="12rem">
            <TextField label={t("counts.scanner.bin")} value={bin} onChange={setBin} autoComplete="off" helpText={t("counts.scanner.binHelp")} />
          </Box>
          <Box minWidth="16rem">
            <Select
              label={t("counts.scanner.mode")}
              options={[
                { label: t("counts.scanner.modeSet"), value: "set" },
                { label: t("counts.scanner.modeAdd"), value: "add" },
              ]}
              value={mode}
              onChange={(next) => {
                setMode(next === "add" ? "add" : "set");
                setTimeout(() => focus(), 0);
              }}
            />
          </Box>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
