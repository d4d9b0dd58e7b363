import { defaultShouldDehydrateQuery, QueryClient } from '@tanstack/react-query';
import type { SuperJSONResult } from 'superjson';
import { transformer } from '@/domain/transformer';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, refetchOnWindowFocus: false, retry: 1 },
      dehydrate: {
        serializeData: (data: unknown) => transformer.serialize(data),
        shouldDehydrateQuery: (q) => defaultShouldDehydrateQuery(q) || q.state.status === 'pending',
      },
      hydrate: { deserializeData: (data: SuperJSONResult) => transformer.deserialize(data) },
    },
  });
}
