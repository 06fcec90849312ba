// Reads the parts of shopify.app.toml that tests and the sandbox need: the webhook subscriptions
// (with their "# Handled by:" comments) and the access scopes. Just enough TOML for that file.
import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface TomlSubscription {
  topics: string[];
  compliance: boolean;
  uri: string;
  handledBy: string | undefined;
}

export function appToml(): string {
  return readFileSync(path.join(root, "shopify.app.toml"), "utf8");
}

export function webhookSubscriptions(toml = appToml()): TomlSubscription[] {
  const parts = toml.split("[[webhooks.subscriptions]]");
  return parts.slice(1).map((block, i) => {
    const topics = /(compliance_)?topics\s*=\s*\[([^\]]*)\]/.exec(block);
    const uri = /uri\s*=\s*"([^"]+)"/.exec(block)?.[1] ?? "";
    const handledBy = /# Handled by: (\S+)[^\n]*\s*$/.exec(parts[i]!)?.[1];
    return {
      topics: [...(topics?.[2] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
      compliance: Boolean(topics?.[1]),
      uri,
      handledBy,
    };
  });
}

export function accessScopes(toml = appToml()): string[] {
  return /scopes = "([^"]*)"/.exec(toml)?.[1]?.split(",").filter(Boolean) ?? [];
}
