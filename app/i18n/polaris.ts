// Polaris's own strings (pagination labels, "Loading", ...) in the same language as ours.
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisZhCN from "@shopify/polaris/locales/zh-CN.json";
import type { Locale } from "./index";

const polarisTranslations: Record<Locale, typeof polarisEn> = { en: polarisEn, "zh-CN": polarisZhCN };

export function polarisTranslationsFor(locale: Locale) {
  return polarisTranslations[locale];
}
