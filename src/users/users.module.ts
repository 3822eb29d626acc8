import { Module } from '@nestjs/common';
import { UsersService } from './users.service.js';
import './users.errors.js';

/** Organisation users, passwords, invitations and console sessions. */
@Module({ providers: [UsersService], exports: [UsersService] })
export class UsersModule {}
