// Database errors the app reacts to. Checked by shape, not instanceof: the PostgreSQL client is a
// separate generated copy of Prisma's runtime with its own error classes.
export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { name?: string }).name === "PrismaClientKnownRequestError" &&
    (error as { code?: string }).code === "P2002"
  );
}

/**
 * Prisma's upsert reads, then inserts: two requests creating the same row at once (the admin's
 * parallel loaders, say) make one of them fail on the unique key. The second try finds the row.
 */
export async function withUniqueRetry<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return write();
  }
}
