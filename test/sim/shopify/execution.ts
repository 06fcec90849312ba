import { GraphQLError, isNonNullType, type GraphQLFieldResolver, type GraphQLTypeResolver } from "graphql";

/**
 * Views are plain objects whose properties are values or `(args, ctx, info)` functions.
 * A non-null field the simulator does not model fails loudly instead of returning a made-up value.
 */
export const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
  const value = source && typeof source === "object" ? (source as Record<string, unknown>)[info.fieldName] : undefined;
  if (typeof value === "function") return (value as (a: unknown, c: unknown, i: unknown) => unknown)(args, ctx, info);
  if (value === undefined) {
    if (isNonNullType(info.returnType)) {
      throw new GraphQLError(`The Shopify simulator does not implement ${info.parentType.name}.${info.fieldName}.`, { extensions: { code: "SIMULATOR_NOT_IMPLEMENTED" } });
    }
    return null;
  }
  return value;
};

export const typeResolver: GraphQLTypeResolver<unknown, unknown> = (value) => {
  const name = value && typeof value === "object" ? (value as { __typename?: string }).__typename : undefined;
  return name;
};
