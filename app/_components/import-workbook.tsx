'use client';

import { useQueryClient } from '@tanstack/react-query';
import { FileUp } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useRef, useState, type ChangeEvent } from 'react';
import { IMPORT_TOO_LARGE_MESSAGE, IMPORT_UPLOAD_MAX_BYTES } from '@/domain/import-limits';
import { useTRPC } from '../_trpc/client';
import { Button } from './ui/button';

interface ImportAnswer {
  runId?: number;
  error?: { message?: string };
}

/**
 * "Import workbook": uploads an `All_process_hash_real_time_*.xlsx` to POST /api/imports and, once
 * it is stored as a run, opens that run (where "Check on VirusTotal" works as for any run). A
 * refused file shows the server's sentence; nothing is stored then.
 */
export function ImportWorkbookButton({ variant = 'secondary' }: { variant?: 'primary' | 'secondary' }) {
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    // The server refuses it too; saying so here spares uploading 25 MB for nothing.
    if (file.size > IMPORT_UPLOAD_MAX_BYTES) {
      setError(IMPORT_TOO_LARGE_MESSAGE);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.set('file', file);
      const res = await fetch('/api/imports', { method: 'POST', body: form });
      const answer = (await res.json().catch(() => ({}))) as ImportAnswer;
      if (!res.ok || typeof answer.runId !== 'number') {
        setError(answer.error?.message ?? `The import failed (HTTP ${res.status}).`);
        return;
      }
      await queryClient.invalidateQueries({ queryKey: trpc.runs.pathKey() });
      router.push(`/runs/${answer.runId}`);
    } catch {
      setError('The upload did not reach ProcLens. Check the connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-2">
      <input
        ref={input}
        type="file"
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        aria-label="Workbook file"
        className="sr-only"
        tabIndex={-1}
        onChange={upload}
      />
      <Button type="button" variant={variant} disabled={busy} onClick={() => input.current?.click()}>
        <FileUp aria-hidden />
        {busy ? 'Importing…' : 'Import workbook'}
      </Button>
      {error ? (
        <p role="alert" className="max-w-prose text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
