import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ContactSuggestQuery, type ContactSuggestions } from '@correio/contracts';
// Type-only alias: decorator metadata must not point at the zod schema value of the same name.
import type { ContactSuggestQuery as ContactSuggestQueryParams } from '@correio/contracts';
import { CurrentAccount } from '../auth/session.guard.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { ContactsService } from './contacts.service.js';
import { ContactSuggestions as ContactSuggestionsSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';

@ApiTags('compose')
@Controller('api/v1/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get('suggest')
  @ApiResult(ContactSuggestionsSchema)
  @ApiOperation({
    summary:
      'Address suggestions: people the account wrote to or received from whose address, name or a word of the name starts with q, ' +
      'most frequent and recent first (an empty q gives the top ones). 400 for a bad limit.',
  })
  suggest(@CurrentAccount() account: AccountInfo, @Query(new ZodPipe(ContactSuggestQuery)) query: ContactSuggestQueryParams): Promise<ContactSuggestions> {
    return this.contacts.suggest(account.id, query.q, query.limit);
  }
}
