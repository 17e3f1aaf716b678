/**
 * POST /api/v1/uploads with XMLHttpRequest: fetch() has no upload progress, and the per-file
 * progress bar needs it. The File goes as multipart/form-data (field `file`), streamed by the
 * browser: it is never read into memory or base64 here.
 */
import { UploadView } from '@correio/contracts';
import { ApiError, csrfHeaders } from './api';

export interface UploadHandle {
  promise: Promise<UploadView>;
  abort(): void;
}

export function uploadFile(file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadView>((resolve, reject) => {
    xhr.open('POST', '/api/v1/uploads');
    xhr.responseType = 'text';
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: handled below
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const parsed = UploadView.safeParse(body);
        if (parsed.success) return resolve(parsed.data);
        return reject(new ApiError(xhr.status, 'CONTRACT', 'The server answered the upload unexpectedly.'));
      }
      const message =
        body && typeof body === 'object' && 'message' in body && typeof body.message === 'string'
          ? body.message
          : xhr.status === 413
            ? 'The file is too large.'
            : `Upload failed (${xhr.status}).`;
      const code = body && typeof body === 'object' && 'code' in body && typeof body.code === 'string' ? body.code : 'HTTP';
      reject(new ApiError(xhr.status, code, message));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
