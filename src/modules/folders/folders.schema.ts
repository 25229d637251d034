import { Type } from 'typebox';
import { component, DateTime, Nullable } from '../../http/schema.ts';

export const DeveloperFolder = component(
  'DeveloperFolder',
  Type.Object({
    id: Type.String({ title: 'Id' }),
    name: Type.String({ title: 'Name' }),
    description: Nullable(Type.String(), { title: 'Description' }),
    color: Type.String({ title: 'Color' }),
    icon: Type.String({ title: 'Icon' }),
    created_at: DateTime({ title: 'Created At' }),
    updated_at: DateTime({ title: 'Updated At' }),
    order: Type.Integer({ title: 'Order', default: 0 }),
    is_default: Type.Boolean({ title: 'Is Default', default: false }),
    is_system: Type.Boolean({ title: 'Is System', default: false }),
    conversation_count: Type.Integer({ title: 'Conversation Count', default: 0 }),
  }),
);
