import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Modal, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { CountStatusBadge, OverdueBadge } from "../components/counts/CountBadges";
import { CountScanner } from "../components/counts/CountScanner";
import { CountSheetTable } from "../components/counts/CountSheetTable";
import { CountTimeline } from "../components/counts/CountTimeline";
import { PostingProgressCard } from "../components/counts/PostingProgressCard";
import { ReviewCard } from "../components/counts/ReviewCard";
import { SheetImportCard } from "../components/counts/SheetImportCard";
import { actorText, countProblemText, formatMoment } from "../components/counts/count-text";
import { decodeCsvBytes } from "../export/csv-encoding";
import { useLocale, useT, type MessageKey } from "../i18n";
import type { CountTaskActionType } from "../counts/task-status";
import { countProblem } from "../models/counts/count-problem";
import { countPageContext, staffActor } from "../models/counts/count-pages.server";
import { loadCountReview, loadCountSheet, lookUpCountLine, recordCount, setLineReason } from "../models/counts/counting.server";
import { CountNotFoundError } from "../models/counts/errors";
import { countPostingProgress, requestCountPosting } from "../models/counts/posting.server";
import { importCountFromWarehouse, importCountSheetCsv, type CountSheetImportResult } from "../models/counts/sheets.server";
import type { SheetImportView, TaskActionData, TaskIntent } from "../models/counts/task-page";
import { TASK_INTENTS } from "../models/counts/task-page";
import { approveCountTask, assignCountTask, cancelCountTask, getCountTask, requestRecount, startCountReview, startCountTask, submitCountTask } from "../models/counts/tasks.server";
import { authenticate } from "../shopify.server";

// What the page shows in each state: the sheet while counting, the review once handed in.
const SHEET_STATUSES = ["draft", "assigned", "in_progress", "recount"];
const REVIEW_STATUSES = ["submitted", "review", "approved", "posted"];
const POSTING_STATUSES = ["approved", "posted"];
/** A file a count sheet can be: a few thousand rows, far below this. */
const MAX_SHEET_BYTES = 5 * 1024 * 1024;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = auth.session.shop;
  const taskId = params.taskId ?? "";
  try {
    const [detail, context] = await Promise.all([getCountTask(shop, taskId), countPageContext(shop)]);
    const status = detail.task.status;
    const cancelledAfterSubmit = status === "cancelled" && detail.task.submittedAt != null;
    const [sheet, review, progress] = await Promise.all([
      SHEET_STATUSES.includes(status) || (status === "cancelled" && !cancelledAfterSubmit) ? loadCountSheet(shop, taskId) : null,
      REVIEW_STATUSES.includes(status) || cancelledAfterSubmit ? loadCountReview(shop, taskId) : null,
      POSTING_STATUSES.includes(status) ? countPostingProgress(shop, taskId) : null,
    ]);
    return { detail, sheet, review, progress, context, actor: staffActor(auth) };
  } catch (error) {
    if (error instanceof CountNotFoundError) throw new Response("This count was not found.", { status: 404 });
    throw error;
  }
};

function sheetView(result: CountSheetImportResult, csv: string, fileName: string): SheetImportView {
  const rows = csv.split(/\r?\n/);
  return {
    imported: result.imported,
    goodRows: result.rows.length,
    errors: result.errors.map((error) => ({ ...error, row: error.fileLine > 1 ? rows[error.fileLine - 1] ?? null : null })),
    blocked: result.blocked,
    fileName,
  };
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = auth.session.shop;
  const taskId = params.taskId ?? "";
  const options = { actor: staffActor(auth) };
  const form = await request.formData();
  const intentValue = String(form.get("intent") ?? "");
  if (!(TASK_INTENTS as readonly string[]).includes(intentValue)) return data({ error: "unknown_intent" }, { status: 400 });
  const intent = intentValue as TaskIntent;
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const done = { intent, done: true } as TaskActionData;
  try {
    switch (intent) {
      case "assign":
        await assignCountTask(shop, taskId, text("assignee"), options);
        return done;
      case "start":
        await startCountTask(shop, taskId, options);
        return done;
      case "submit": {
        const result = await submitCountTask(shop, taskId, options);
        return { intent, uncountedAsZero: result.uncountedAsZero.length } satisfies TaskActionData;
      }
      case "start_review":
        await startCountReview(shop, taskId, options);
        return done;
      case "request_recount": {
        const lineIds = form.getAll("lineId").filter((id): id is string => typeof id === "string" && id !== "");
        await requestRecount(shop, taskId, { note: text("note"), ...(lineIds.length ? { lineIds } : {}) }, options);
        return done;
      }
      case "approve":
        await approveCountTask(shop, taskId, { note: text("note") }, options);
        return done;
      case "cancel":
        await cancelCountTask(shop, taskId, { note: text("note") }, options);
        return done;
      case "lookup": {
        const found = await lookUpCountLine(shop, taskId, text("code"));
        return { intent, line: found.line, matchedBy: found.matchedBy } satisfies TaskActionData;
      }
      case "record": {
        const lineId = text("lineId");
        const recorded = await recordCount(
          shop,
          taskId,
          { ...(lineId ? { lineId } : { code: text("code") }), quantity: text("quantity"), bin: text("bin") || null, mode: text("mode") === "add" ? "add" : "set" },
          options
        );
        return { intent, line: recorded.line, recorded: recorded.recorded, quantity: recorded.quantity } satisfies TaskActionData;
      }
      case "reason": {
        const saved = await setLineReason(shop, taskId, text("lineId"), { reason: text("reason") || null, note: text("note") }, options);
        return { intent, lineId: saved.lineId, reason: saved.reason, note: saved.note } satisfies TaskActionData;
      }
      case "import_csv": {
        const file = form.get("file");
        if (!file || typeof file === "string")
          return {
            intent,
            sheet: {
              imported: 0,
              goodRows: 0,
              errors: [{ fileLine: 1, code: "unreadable_file", message: "Choose a CSV file to import.", row: null }],
              blocked: true,
              fileName: "",
            },
          } satisfies TaskActionData;
        if (file.size > MAX_SHEET_BYTES) {
          return {
            intent,
            sheet: {
              imported: 0,
              goodRows: 0,
              errors: [{ fileLine: 1, code: "unreadable_file", message: "The file is larger than 5 MB; a count sheet is much smaller.", row: null }],
              blocked: true,
              fileName: file.name,
            },
          } satisfies TaskActionData;
        }
        // Excel saves CSV as UTF-8, UTF-16 or, on a Chinese Windows, GBK: read the bytes, not file.text().
        const csv = decodeCsvBytes(await file.arrayBuffer()).text;
        const result = await importCountSheetCsv(shop, taskId, csv, { ...options, skipInvalid: text("skipInvalid") === "true", fileName: file.name });
        return { intent, sheet: sheetView(result, csv, file.name) } satisfies TaskActionData;
      }
      case "import_warehouse": {
        const result = await importCountFromWarehouse(shop, taskId, options);
        if (!result.supported) return { intent, supported: false } satisfies TaskActionData;
        return { intent, supported: true, sheet: sheetView(result, "", "") } satisfies TaskActionData;
      }
      case "retry_posting":
        await requestCountPosting(shop, taskId);
        return done;
    }
  } catch (error) {
    const problem = countProblem(error);
    if (!problem) throw error;
    return data({ intent, problem } satisfies TaskActionData, { status: 409 });
  }
};

// A lookup reads and changes nothing: the page need not load again after it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => {
  if (formData?.get("intent") === "lookup") return false;
  return defaultShouldRevalidate;
};

/** The lifecycle buttons the page shows itself; the review and the sheet carry the others. */
const PAGE_ACTIONS = ["start", "submit", "start_review"] as const satisfies readonly (CountTaskActionType & TaskIntent)[];

export default function CountTaskPage() {
  const page = useLoaderData<typeof loader>();
  const { detail, sheet, review, progress, context, actor } = page;
  const { task, events, actions } = detail;
  const t = useT();
  const locale = useLocale();
  const shopify = useAppBridge();
  const lifecycle = useFetcher<TaskActionData>({ key: `count-lifecycle-${task.id}` });
  // The field shows people as they read ("Staff member 12345"); left so, it assigns the same actor id.
  const assigneeField = (id: string) => actorText(id, t);
  const assigneeId = (text: string) => {
    const typed = text.trim();
    if (task.assignee && typed === assigneeField(task.assignee)) return task.assignee;
    return typed === assigneeField(actor) ? actor : typed;
  };
  const [assignee, setAssignee] = useState(assigneeField(task.assignee ?? actor));
  const [cancelOpen, setCancelOpen] = useState(false);
  const [cancelNote, setCancelNote] = useState("");
  const busy = lifecycle.state !== "idle";
  const busyIntent = busy ? lifecycle.formData?.get("intent") : null;
  const warehouse = context.warehouses.find((w) => w.id === task.warehouseId);

  useEffect(() => setAssignee(actorText(task.assignee ?? actor, t)), [task.assignee, actor, t]);
  useEffect(() => {
    if (lifecycle.state !== "idle" || !lifecycle.data) return;
    const result = lifecycle.data;
    if (result.problem) {
      shopify.toast.show(countProblemText(result.problem, t), { isError: true });
      return;
    }
    if (result.intent === "submit" && "uncountedAsZero" in result && result.uncountedAsZero > 0) {
      shopify.toast.show(t("counts.task.submittedWithZeros", { count: result.uncountedAsZero }));
    } else {
      shopify.toast.show(t(`counts.task.done.${result.intent}` as MessageKey));
    }
    setCancelOpen(false);
  }, [lifecycle.state, lifecycle.data, shopify, t]);

  const submit = (intent: TaskIntent, fields: Record<string, string> = {}) => lifecycle.submit({ intent, ...fields }, { method: "post" });
  const lifecycleProblem = lifecycle.state === "idle" && lifecycle.data?.problem ? lifecycle.data.problem : null;

  const primary = PAGE_ACTIONS.find((action) => actions.includes(action));
  const primaryAction = primary
    ? {
        content: t(primary === "start" && task.status === "recount" ? "counts.task.startRecount" : (`counts.task.button.${primary}` as MessageKey)),
        onAction: () => submit(primary),
        loading: busyIntent === primary,
        disabled: busy,
      }
    : undefined;
  const secondaryActions = actions.includes("cancel") ? [{ content: t("counts.task.button.cancel"), destructive: true, onAction: () => setCancelOpen(true), disabled: busy }] : [];

  const subtitle = [
    t(`counts.kind.${task.kind}` as MessageKey),
    task.warehouseName ?? "",
    task.planName ?? (task.createdBy === "system" ? t("counts.list.raisedBySystem") : t("counts.list.byHand")),
    task.dueAt ? t("counts.task.dueAt", { time: formatMoment(task.dueAt, locale, context.timeZone) }) : null,
  ]
    .filter(Boolean)
    .join(" · ");
  const counting = task.status === "in_progress" || task.status === "recount";
  const counterCard = (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("counts.task.counter.heading")}
        </Text>
        <Text as="p">{task.assignee ? actorText(task.assignee, t) : t("counts.list.unassigned")}</Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("counts.task.counter.progress", { counted: task.linesCounted, lines: task.lines })}
        </Text>
        {actions.includes("assign") ? (
          <BlockStack gap="200">
            <TextField label={t("counts.task.counter.assignee")} value={assignee} onChange={setAssignee} autoComplete="off" />
            <InlineStack>
              <Button onClick={() => submit("assign", { assignee: assigneeId(assignee) })} loading={busyIntent === "assign"} disabled={busy}>
                {t(task.assignee ? "counts.task.counter.reassign" : "counts.task.counter.assign")}
              </Button>
            </InlineStack>
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );

  return (
    <Page
      fullWidth
      backAction={{ content: t("counts.title"), url: "/app/counts" }}
      title={task.label}
      titleMetadata={
        <InlineStack gap="100">
          <CountStatusBadge status={task.status} />
          {task.overdue ? <OverdueBadge /> : null}
        </InlineStack>
      }
      subtitle={subtitle}
      primaryAction={primaryAction}
      secondaryActions={secondaryActions}
    >
      <TitleBar title={task.label} />
      <Layout>
        {detail.syncFrozen.frozen ? (
          <Layout.Section>
            <Banner tone="warning" title={t("counts.task.frozen.title", { warehouse: task.warehouseName ?? "" })}>
              <p>{t("counts.task.frozen.body", { warehouse: task.warehouseName ?? "" })}</p>
            </Banner>
          </Layout.Section>
        ) : task.kind === "full" && (task.status === "draft" || task.status === "assigned") ? (
          <Layout.Section>
            <Banner tone="info" title={t("counts.task.fullWillFreeze.title")}>
              <p>{t("counts.task.fullWillFreeze.body", { warehouse: task.warehouseName ?? "" })}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {lifecycleProblem ? (
          <Layout.Section>
            <Banner tone="critical" title={t("counts.task.refused")}>
              <p>{countProblemText(lifecycleProblem, t)}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {warehouse && !warehouse.linked ? (
          <Layout.Section>
            <Banner tone="warning">
              <p>{t("counts.task.notLinked", { warehouse: warehouse.name })}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            {progress ? <PostingProgressCard taskId={task.id} initial={progress} warehouseName={task.warehouseName ?? ""} /> : null}
            {counting && sheet ? <CountScanner taskId={task.id} sheet={sheet} /> : null}
            {sheet ? <CountSheetTable sheet={sheet} timeZone={context.timeZone} counting={counting} /> : null}
            {counting && sheet ? <SheetImportCard taskId={task.id} label={task.label} warehouseName={task.warehouseName ?? ""} /> : null}
            {review ? <ReviewCard review={review} actions={actions} currency={context.currency} /> : null}
            {/* The review's table needs the page's width: the counter and the history go below it. */}
            {review ? (
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400" alignItems="start">
                {counterCard}
                <CountTimeline events={events} timeZone={context.timeZone} />
              </InlineGrid>
            ) : null}
          </BlockStack>
        </Layout.Section>
        {review ? null : (
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              {counterCard}
              <CountTimeline events={events} timeZone={context.timeZone} />
            </BlockStack>
          </Layout.Section>
        )}
      </Layout>
      <Modal
        open={cancelOpen}
        onClose={() => setCancelOpen(false)}
        title={t("counts.task.cancel.title", { label: task.label })}
        primaryAction={{ content: t("counts.task.cancel.confirm"), destructive: true, loading: busyIntent === "cancel", onAction: () => submit("cancel", { note: cancelNote }) }}
        secondaryActions={[{ content: t("counts.task.cancel.keep"), onAction: () => setCancelOpen(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            <Text as="p">{t(task.kind === "full" ? "counts.task.cancel.bodyFull" : "counts.task.cancel.body")}</Text>
            <TextField label={t("counts.task.cancel.note")} value={cancelNote} onChange={setCancelNote} autoComplete="off" />
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
