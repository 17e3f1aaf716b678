import { Module } from '@nestjs/common';
import { UploadRepository } from './repositories/upload.repository.js';
import { UploadsController } from './uploads.controller.js';
import { UploadsService } from './uploads.service.js';

/**
 * Uploads. Owns the uploads table: files for attachments, streamed in by POST /api/v1/uploads,
 * referenced by id from drafts and sends (UploadsService.read), removed after a send that used
 * them or 24 h after upload (UploadsService's periodic cleanup).
 */
@Module({ controllers: [UploadsController], providers: [UploadsService, UploadRepository], exports: [UploadsService] })
export class UploadsModule {}
