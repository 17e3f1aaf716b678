import { Module } from '@nestjs/common';
import { DirectoryRepository } from './repositories/directory.repository.js';
import { DirectoryWriteRepository } from './repositories/directory-write.repository.js';
import { IdentityRepository } from './repositories/identity.repository.js';
import { LoginFailuresRepository } from './repositories/login-failures.repository.js';
import { RecipientRepository } from './repositories/recipient.repository.js';
import { UsageRepository } from './repositories/usage.repository.js';

/** The directory's repositories, split out so the mail store can charge usage without a cycle. */
@Module({
  providers: [DirectoryRepository, DirectoryWriteRepository, UsageRepository, RecipientRepository, IdentityRepository, LoginFailuresRepository],
  exports: [DirectoryRepository, DirectoryWriteRepository, UsageRepository, RecipientRepository, IdentityRepository, LoginFailuresRepository],
})
export class DirectoryRepositoriesModule {}
