import { Module } from '@nestjs/common';
import { ContactsController } from './contacts.controller.js';
import { ContactsIndexer } from './contacts.indexer.js';
import { ContactsService } from './contacts.service.js';
import { ContactRepository } from './repositories/contact.repository.js';

/**
 * Contacts (role http). Owns contacts and contacts_index_state: address suggestions for the compose
 * window, kept by ContactsIndexer from stored messages (never on the SMTP delivery path). Reads the
 * mail store's messages/mailboxes inside its one fold statement, read-only (ARCHITECTURE.md).
 */
@Module({ controllers: [ContactsController], providers: [ContactsService, ContactsIndexer, ContactRepository], exports: [ContactsService, ContactsIndexer] })
export class ContactsModule {}
