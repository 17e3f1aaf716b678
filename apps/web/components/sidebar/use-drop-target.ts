'use client';

/** Rows dragged from the list (message-list.tsx sets DRAG_TYPE) dropped on a folder or a label. */
import { type DragEvent, useState } from 'react';
import type { BulkAction } from '@/lib/api';
import { useMail } from '../mail/mail-store';
import { DRAG_TYPE } from '../mail/message-list';

export function useDropTarget(actionFor: () => BulkAction) {
  const { list, act } = useMail();
  const [isOver, setIsOver] = useState(false);
  const accepts = (e: DragEvent) => e.dataTransfer.types.includes(DRAG_TYPE);
  return {
    isOver,
    props: {
      onDragOver: (e: DragEvent) => {
        if (!accepts(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        setIsOver(true);
      },
      onDragLeave: () => setIsOver(false),
      onDrop: (e: DragEvent) => {
        setIsOver(false);
        if (!accepts(e)) return;
        e.preventDefault();
        let keys: string[] = [];
        try {
          keys = JSON.parse(e.dataTransfer.getData(DRAG_TYPE)) as string[];
        } catch {
          return;
        }
        const rows = (list?.rows ?? []).filter((r) => keys.includes(r.key));
        if (rows.length > 0) void act({ rows }, actionFor());
      },
    },
  };
}
