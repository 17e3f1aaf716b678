import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyRepository } from './repositories/api-key.repository.js';

/**
 * API keys for programs (issue 13). Owns the api_keys table. Exports ApiKeysService, whose
 * `authenticate` the global SessionGuard (auth/) calls for `Authorization: Bearer` requests.
 * Invariants: only the SHA-256 of a key is stored; the secret leaves the server once, in the 201;
 * no cache of key rows, so a revocation holds at once in every process.
 */
@Module({
  imports: [DirectoryModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysService, ApiKeyRepository],
  exports: [ApiKeysService],
})
export class ApiKeysModule {}
