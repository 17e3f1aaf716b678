import { Module } from '@nestjs/common';
import { FiltersController } from './filters.controller.js';
import { MailSettingsController } from './mail-settings.controller.js';
import { RulesModule } from './rules.module.js';

/** The REST side of mail rules (role http): /api/v1/filters, /vacation, /forwarding, /senders. */
@Module({ imports: [RulesModule], controllers: [FiltersController, MailSettingsController] })
export class RulesApiModule {}
