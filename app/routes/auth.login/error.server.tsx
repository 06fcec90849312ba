import type { LoginError } from "@shopify/shopify-app-remix/server";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import type { MessageKey } from "../../i18n";

interface LoginErrorMessage {
  shop?: MessageKey;
}

/** `login()`'s errors as translation keys, so the page shows them in the admin's language. */
export function loginErrorMessage(loginErrors: LoginError): LoginErrorMessage {
  if (loginErrors?.shop === LoginErrorType.MissingShop) {
    return { shop: "login.errors.missingShop" };
  } else if (loginErrors?.shop === LoginErrorType.InvalidShop) {
    return { shop: "login.errors.invalidShop" };
  }
  return {};
}
