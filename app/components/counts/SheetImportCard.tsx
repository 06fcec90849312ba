// Count sheets in and out: a blank sheet to print or fill in a spreadsheet, a filled sheet imported
// (every bad row shown with its line in the file; nothing imported while any row is bad, unless the
// merchant chooses to import the valid rows), and the warehouse's own count where its API has one.
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, DropZone, InlineStack, List, Text } from "@shopify/polaris";
import { useState } from "react";
import { useT } from "../../i18n";
import type { SheetImportView, TaskActionData } from "../../models/counts/task-page";
import { downloadFile } from "../download-file";
import { countProblemText, sheetErrorText } from "./count-text";

function ImportResult({ sheet, onImportValid, importing }: { sheet: SheetImportView; onImportValid?: () => void; importing: boolean }) {
  const t = useT();
  const errors = (
    <List type="bullet">
      {sheet.errors.map((error) => (
        <List.Item key={`${error.fileLine}-${error.code}`}>
          {sheetErrorText(error, t)}
          {error.row ? (
            <Text as="span" tone="subdued">
              {" "}
              <code>{error.row}</code>
            </Text>
          ) : null}
        </List.Item>
      ))}
    </List>
  );
  if (sheet.blocked) {
    return (
      <Banner tone="critical" title={t("counts.import.blocked", { count: sheet.errors.length })}>
        <BlockStack gap="200">
          {errors}
          {onImportValid && sheet.goodRows > 0 ? (
            <InlineStack>
              <Button onClick={onImportValid} loading={importing}>
                {t("counts.import.importValid", { count: sheet.goodRows })}
              </Button>
            </InlineStack>
          ) : null}
        </BlockStack>
      </Banner>
    );
  }
  return (
    <Banner tone={sheet.errors.length ? "warning" : "success"} title={t("counts.import.imported", { count: sheet.imported })}>
      {sheet.errors.length ? (
        <BlockStack gap="200">
          <p>{t("counts.import.skipped", { count: sheet.errors.length })}</p>
          {errors}
        </BlockStack>
      ) : null}
    </Banner>
  );
}

export function SheetImportCard({ taskId, label, warehouseName }: { taskId: string; label: string; warehouseName: string }) {
  const t = useT();
  const csvImport = useFetcher<TaskActionData>({ key: `count-import-${taskId}` });
  const fromWarehouse = useFetcher<TaskActionData>({ key: `count-warehouse-import-${taskId}` });
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const importing = csvImport.state !== "idle";

  const send = (chosen: File, skip: boolean) => {
    const form = new FormData();
    form.set("intent", "import_csv");
    form.set("skipInvalid", String(skip));
    form.set("file", chosen, chosen.name);
    csvImport.submit(form, { method: "post", encType: "multipart/form-data" });
  };

  const result = csvImport.data;
  const sheet = result && result.intent === "import_csv" && !result.problem && "sheet" in result ? result.sheet : null;
  const problem = result?.problem ?? null;
  const warehouseResult = fromWarehouse.data;

  const blankSheet = async () => {
    setDownloading(true);
    try {
      await downloadFile(`/app/counts/${taskId}/sheet`, `${label}-count-sheet.csv`);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            {t("counts.import.heading")}
          </Text>
          <InlineStack gap="200">
            <Button onClick={blankSheet} loading={downloading}>
              {t("counts.import.blankSheet")}
            </Button>
            <Button onClick={() => fromWarehouse.submit({ intent: "import_warehouse" }, { method: "post" })} loading={fromWarehouse.state !== "idle"}>
              {t("counts.import.fromWarehouse")}
            </Button>
          </InlineStack>
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("counts.import.help")}
        </Text>
        {warehouseResult?.intent === "import_warehouse" && !warehouseResult.problem ? (
          "supported" in warehouseResult && warehouseResult.supported === false ? (
            <Banner tone="info" title={t("counts.import.notSupported.title")}>
              <p>{t("counts.import.notSupported.body", { warehouse: warehouseName })}</p>
            </Banner>
          ) : "sheet" in warehouseResult && warehouseResult.sheet ? (
            <ImportResult sheet={warehouseResult.sheet} importing={false} />
          ) : null
        ) : null}
        {warehouseResult?.problem ? (
          <Banner tone="critical">
            <p>{countProblemText(warehouseResult.problem, t)}</p>
          </Banner>
        ) : null}
        <DropZone
          accept=".csv,text/csv"
          type="file"
          allowMultiple={false}
          label={t("counts.import.file")}
          onDropAccepted={(files) => {
            // A file is imported as soon as it is chosen; it is kept to import its valid rows after.
            const chosen = files[0];
            if (!chosen) return;
            setFile(chosen);
            send(chosen, skipInvalid);
          }}
          variableHeight
        >
          <DropZone.FileUpload actionTitle={t("counts.import.chooseFile")} actionHint={file ? file.name : t("counts.import.dropHint")} />
        </DropZone>
        <Checkbox label={t("counts.import.skipInvalid")} helpText={t("counts.import.skipInvalidHelp")} checked={skipInvalid} onChange={setSkipInvalid} />
        {problem ? (
          <Banner tone="critical">
            <p>{countProblemText(problem, t)}</p>
          </Banner>
        ) : null}
        {sheet ? <ImportResult sheet={sheet} importing={importing} onImportValid={file ? () => send(file, true) : undefined} /> : null}
      </BlockStack>
    </Card>
  );
}
