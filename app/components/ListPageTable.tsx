// The table of a list page (Inventory, Orders, Counts): tabs, a search, choice filters with their
// pills, and previous/next paging, all kept in the page's URL so a list survives a reload and its
// links can be shared. The page says what its query is and how it is written as a URL; this
// component turns each click into a navigation to the new URL.
import { useNavigate, useNavigation } from "@remix-run/react";
import {
  Card,
  ChoiceList,
  IndexFilters,
  IndexTable,
  Text,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
  type IndexTableProps,
} from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import type { PageCursors } from "../models/list-query";

const SEARCH_DELAY_MS = 300;

/** What every list's query has: a tab and a search term. */
export interface ListQuery<V extends string = string> {
  view: V;
  search: string;
}

/**
 * Navigates to the list with changes to its query. Paging starts again at `firstPage` unless the
 * change is itself a page; `toParams` and `firstPage` should be module constants.
 */
export function useListNavigation<Q>(path: string, query: Q, toParams: (query: Partial<Q>) => URLSearchParams, firstPage: Partial<Q>) {
  const navigate = useNavigate();
  return useCallback(
    (changes: Partial<Q>) => {
      const next = toParams({ ...query, ...firstPage, ...changes });
      navigate(`${path}${next.size ? `?${next}` : ""}`, { preventScrollReset: true });
    },
    [navigate, path, query, toParams, firstPage],
  );
}

/** A filter of choices (a status, a warehouse), shown in the filter bar and, once applied, as a pill. */
export interface ChoiceFilter<Q> {
  key: string;
  label: string;
  choices: { label: string; value: string }[];
  selected: string[];
  allowMultiple?: boolean;
  /** The change to the query when these values are chosen; none chosen removes the filter. */
  choose: (selected: string[]) => Partial<Q>;
  /** The pill's text while the filter applies; null shows no pill. */
  applied: string | null;
}

/**
 * A filter of one among named things (a warehouse, a plan), kept in the query as an id; its pill
 * shows the chosen one's name.
 */
export function singleChoiceFilter<Q>(filter: {
  key: string;
  label: string;
  options: readonly { id: string; name: string }[];
  selectedId: string | null;
  choose: (id: string | null) => Partial<Q>;
  appliedLabel?: (name: string) => string;
}): ChoiceFilter<Q> {
  const name = filter.options.find((option) => option.id === filter.selectedId)?.name;
  return {
    key: filter.key,
    label: filter.label,
    choices: filter.options.map((option) => ({ label: option.name, value: option.id })),
    selected: filter.selectedId ? [filter.selectedId] : [],
    choose: (selected) => filter.choose(selected[0] ?? null),
    applied: name == null ? null : (filter.appliedLabel?.(name) ?? name),
  };
}

/** The changes to the query that go to the next and the previous page; null where there is none. */
export interface ListPagination<Q> {
  next: Partial<Q> | null;
  previous: Partial<Q> | null;
  label: string;
}

/** Paging by the keyset cursors of a loaded page. */
export function cursorPagination(page: { nextCursor: string | null; previousCursor: string | null }): Pick<ListPagination<PageCursors>, "next" | "previous"> {
  return {
    next: page.nextCursor ? { after: page.nextCursor } : null,
    previous: page.previousCursor ? { before: page.previousCursor } : null,
  };
}

interface ListPageTableProps<Q extends ListQuery<V>, V extends string> {
  query: Q;
  go: (changes: Partial<Q>) => void;
  /** The tabs, the first the default; `tabIdPrefix` + view is each tab's id. */
  views: readonly V[];
  viewLabel: (view: V) => string;
  tabIdPrefix?: string;
  searchPlaceholder: string;
  filters: ChoiceFilter<Q>[];
  /** Defaults to any page load in progress. */
  loading?: boolean;
  resourceName: { singular: string; plural: string };
  noMatches: string;
  headings: IndexTableProps["headings"];
  itemCount: number;
  pagination: ListPagination<Q>;
  /** The rows: IndexTable.Row elements. */
  children: ReactNode;
}

export function ListPageTable<Q extends ListQuery<V>, V extends string>({
  query,
  go,
  views,
  viewLabel,
  tabIdPrefix = "view-",
  searchPlaceholder,
  filters,
  loading: loadingProp,
  resourceName,
  noMatches,
  headings,
  itemCount,
  pagination,
  children,
}: ListPageTableProps<Q, V>) {
  const navigation = useNavigation();
  const loading = loadingProp ?? navigation.state === "loading";
  const { mode, setMode } = useSetIndexFiltersMode();
  const [search, setSearch] = useState(query.search);
  const searchFor = useCallback((term: string) => go({ search: term } as Partial<Q>), [go]);

  useEffect(() => setSearch(query.search), [query.search]);
  useEffect(() => {
    if (search.trim() === query.search) return;
    const timer = setTimeout(() => searchFor(search.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, query.search, searchFor]);

  // The tab bar measures itself whenever its tabs change: keep them while their labels do not.
  const labelKey = views.map(viewLabel).join("\n");
  const tabs = useMemo(() => {
    const labels = labelKey.split("\n");
    return views.map((view, index) => ({ id: `${tabIdPrefix}${view}`, content: labels[index] ?? view, isLocked: true }));
  }, [views, tabIdPrefix, labelKey]);

  const filterBar: IndexFiltersProps["filters"] = filters.map((filter) => ({
    key: filter.key,
    label: filter.label,
    shortcut: true,
    filter: (
      <ChoiceList
        title={filter.label}
        titleHidden
        allowMultiple={filter.allowMultiple}
        choices={filter.choices}
        selected={filter.selected}
        onChange={(selected) => go(filter.choose(selected))}
      />
    ),
  }));
  const appliedFilters: IndexFiltersProps["appliedFilters"] = filters.flatMap((filter) =>
    filter.applied == null ? [] : [{ key: filter.key, label: filter.applied, onRemove: () => go(filter.choose([])) }],
  );

  return (
    <Card padding="0">
      <IndexFilters
        tabs={tabs}
        selected={Math.max(0, views.indexOf(query.view))}
        onSelect={(index) => {
          const view = views[index] ?? views[0];
          if (view != null) go({ view } as Partial<Q>);
        }}
        queryValue={search}
        queryPlaceholder={searchPlaceholder}
        onQueryChange={setSearch}
        onQueryClear={() => {
          setSearch("");
          searchFor("");
        }}
        filters={filterBar}
        appliedFilters={appliedFilters}
        onClearAll={() => go(Object.assign({ search: "" }, ...filters.map((filter) => filter.choose([]))) as Partial<Q>)}
        mode={mode}
        setMode={setMode}
        canCreateNewView={false}
        loading={loading}
        cancelAction={{ onAction: () => undefined }}
      />
      <IndexTable
        resourceName={resourceName}
        itemCount={itemCount}
        selectable={false}
        loading={loading}
        emptyState={
          <Text as="p" alignment="center" tone="subdued">
            {noMatches}
          </Text>
        }
        headings={headings}
        pagination={{
          hasNext: pagination.next != null,
          hasPrevious: pagination.previous != null,
          onNext: () => pagination.next && go(pagination.next),
          onPrevious: () => pagination.previous && go(pagination.previous),
          label: pagination.label,
        }}
      >
        {children}
      </IndexTable>
    </Card>
  );
}
