import { SuperJSON, type SuperJSONResult } from 'superjson';
import { RowTable, type RowColumn } from './row-table';

/**
 * The one tRPC transformer, on both ends and in the query cache's (de)hydration: superjson (Dates,
 * Maps, undefined survive the trip) that sends a RowTable as the plain JSON it already is. superjson
 * walks every value of a response; for a whole run of 10,000 processes that walk cost more than
 * the database query.
 */
export const transformer = new SuperJSON();

type JSONValue = SuperJSONResult['json'];

interface RowTableJson {
  n: number;
  k: string[];
  c: RowColumn[];
}

transformer.registerCustom<RowTable<unknown>, JSONValue>(
  {
    isApplicable: (v): v is RowTable<unknown> => v instanceof RowTable,
    serialize: (t) => ({ n: t.n, k: t.k, c: t.c }) as RowTableJson as unknown as JSONValue,
    deserialize: (j) => {
      const { n, k, c } = j as unknown as RowTableJson;
      return new RowTable(n, k, c);
    },
  },
  'RowTable',
);
