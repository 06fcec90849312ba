// Who did what to a count, and when: every move of its status and every note, newest first.
import { BlockStack, Box, Card, InlineStack, Text } from "@shopify/polaris";
import { isMessageKey, useLocale, useT } from "../../i18n";
import type { CountTaskEventView } from "../../models/counts/tasks.server";
import { actorText, formatMoment } from "./count-text";
import { timelineNote } from "./timeline-notes";

export function CountTimeline({ events, timeZone }: { events: CountTaskEventView[]; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const status = (value: string) => {
    const key = `counts.status.${value}`;
    return isMessageKey(key) ? t(key) : value;
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("counts.timeline.heading")}
        </Text>
        <ol style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {[...events].reverse().map((event, index) => {
            const moved = event.fromStatus !== event.toStatus;
            const what =
              event.fromStatus == null
                ? t("counts.timeline.created")
                : moved
                ? t("counts.timeline.moved", { from: status(event.fromStatus), to: status(event.toStatus) })
                : t("counts.timeline.noted");
            return (
              <li key={`${new Date(event.at).getTime()}-${index}`}>
                <Box paddingBlockEnd="300" paddingInlineStart="300" borderInlineStartWidth="025" borderColor={moved || event.fromStatus == null ? "border-emphasis" : "border"}>
                  <BlockStack gap="050">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">
                        {what}
                      </Text>
                    </InlineStack>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {t("counts.timeline.by", { actor: actorText(event.actor, t), time: formatMoment(event.at, locale, timeZone) })}
                    </Text>
                    {event.note ? (
                      <Text as="p" variant="bodySm" breakWord>
                        {timelineNote(event.note, t)}
                      </Text>
                    ) : null}
                  </BlockStack>
                </Box>
              </li>
            );
          })}
        </ol>
      </BlockStack>
    </Card>
  );
}
