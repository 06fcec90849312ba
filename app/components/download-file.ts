// Files the app's resource routes answer (CSV exports), downloaded from an embedded page.

/** Fetch through App Bridge (it adds the session token), then hand the file to the browser, named as the server names it. */
export async function downloadFile(url: string, fallbackName: string) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Download failed: ${response.status}`);
  const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1];
  const href = URL.createObjectURL(await response.blob());
  const anchor = Object.assign(document.createElement("a"), { href, download: named ?? fallbackName });
  anchor.click();
  URL.revokeObjectURL(href);
}
