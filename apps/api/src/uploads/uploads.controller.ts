import { Controller, Delete, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UploadView } from '@correio/contracts';
import type { FastifyRequest } from 'fastify';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { UploadsService } from './uploads.service.js';
import { UploadView as UploadViewSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';

@ApiTags('compose')
@Controller('api/v1/uploads')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post()
  @ApiResult(UploadViewSchema)
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    required: true,
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'One file' } } },
  })
  @ApiOperation({
    summary:
      'Upload one file (multipart/form-data, field `file`) to attach to drafts and sends by id; kept 24 h or until a send uses it. ' +
      '413 over CORREIO_MAX_MESSAGE_BYTES (nothing stored), 400 without a file or not multipart.',
  })
  async upload(@CurrentAccount() account: AccountInfo, @Req() req: FastifyRequest): Promise<UploadView> {
    if (!req.isMultipart()) throw AppError.invalid('expected multipart/form-data with a `file` field');
    const limit = this.uploads.maxBytes;
    // Streamed: the parser stops keeping bytes at the limit (the stream is then `truncated`) and
    // reads the rest of the request to the end, so the client gets the 413 rather than a reset.
    const file = await req.file({ limits: { fileSize: limit, files: 1 }, throwFileSizeLimit: false });
    if (file?.fieldname !== 'file') throw AppError.invalid('expected multipart/form-data with a `file` field');
    const chunks: Buffer[] = [];
    for await (const chunk of file.file) chunks.push(chunk as Buffer);
    if (file.file.truncated) throw new AppError(ErrorCode.TooLarge, `file larger than the ${limit}-byte limit (CORREIO_MAX_MESSAGE_BYTES)`);
    return this.uploads.create(account.id, { filename: file.filename, contentType: file.mimetype, data: Buffer.concat(chunks) });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove an upload (404 if it is not this account's or is gone)" })
  async remove(@CurrentAccount() account: AccountInfo, @Param('id') id: string): Promise<void> {
    await this.uploads.remove(account.id, id);
  }
}
