'use client';

/**
 * Attachments being uploaded: one XHR per file (progress), size checked against the server's limit
 * before anything is sent, Remove aborts an upload in progress or deletes a finished one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '@/lib/api';
import { formatSize } from '@/lib/format';
import { type UploadHandle, uploadFile } from '@/lib/upload';
import { type ComposeAttachment, newContentId, nextKey } from '@/lib/compose-state';

type SetAttachments = (update: (prev: ComposeAttachment[]) => ComposeAttachment[]) => void;

export function useUploads(setAttachments: SetAttachments, maxBytes: number, currentTotal: () => number, onSettled: () => void) {
  const handles = useRef(new Map<string, UploadHandle>());
  const [problem, setProblem] = useState<string | null>(null);
  const settled = useRef(onSettled);
  settled.current = onSettled;

  // Closing the window stops what is still on its way (it would belong to no draft).
  useEffect(() => {
    const map = handles.current;
    return () => {
      for (const h of map.values()) h.abort();
      map.clear();
    };
  }, []);

  const start = useCallback(
    (file: File, inline: boolean): ComposeAttachment => {
      const key = nextKey('upload');
      const contentId = inline ? newContentId() : undefined;
      const patch = (p: Partial<ComposeAttachment>) => setAttachments((prev) => prev.map((a) => (a.key === key ? { ...a, ...p } : a)));
      const handle = uploadFile(file, (fraction) => patch({ progress: fraction }));
      handles.current.set(key, handle);
      handle.promise.then(
        (view) => {
          handles.current.delete(key);
          patch({ status: 'ready', progress: 1, size: view.size, ref: { source: 'upload', uploadId: view.id, inline, contentId } });
          settled.current();
        },
        (err: unknown) => {
          handles.current.delete(key);
          if (err instanceof DOMException && err.name === 'AbortError') return;
          patch({ status: 'failed', error: err instanceof ApiError ? err.message : 'Upload failed.' });
        },
      );
      return {
        key,
        filename: file.name,
        size: file.size,
        contentType: file.type || 'application/octet-stream',
        status: 'uploading',
        progress: 0,
        ref: null,
        inline,
        contentId,
        previewUrl: inline ? URL.createObjectURL(file) : undefined,
      };
    },
    [setAttachments],
  );

  /** Starts the uploads it accepts and answers them (inline ones carry the URL to show). */
  const addFiles = useCallback(
    (files: readonly File[], inline = false): ComposeAttachment[] => {
      const refused: string[] = [];
      const accepted: File[] = [];
      let total = currentTotal();
      for (const f of files) {
        if (f.size > maxBytes) refused.push(`“${f.name}” is ${formatSize(f.size)}; messages can be at most ${formatSize(maxBytes)}.`);
        else if (total + f.size > maxBytes) refused.push(`“${f.name}” would make the message larger than ${formatSize(maxBytes)}.`);
        else {
          accepted.push(f);
          total += f.size;
        }
      }
      setProblem(refused.length ? refused.join(' ') : null);
      const started = accepted.map((f) => start(f, inline));
      if (started.length) setAttachments((prev) => [...prev, ...started]);
      return started;
    },
    [currentTotal, maxBytes, start, setAttachments],
  );

  const remove = useCallback(
    (att: ComposeAttachment) => {
      handles.current.get(att.key)?.abort();
      handles.current.delete(att.key);
      setAttachments((prev) => prev.filter((a) => a.key !== att.key));
      if (att.ref?.source === 'upload') void api.deleteUpload(att.ref.uploadId).catch(() => {});
      settled.current();
    },
    [setAttachments],
  );

  return { addFiles, remove, problem, clearProblem: () => setProblem(null) };
}
