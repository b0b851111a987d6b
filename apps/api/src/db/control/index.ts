import { UserSchema } from './user.entity.js';

/** Every control-plane entity; the ORM is initialised with exactly these. */
export const controlPlaneEntities = [UserSchema];

export { UserSchema, type User } from './user.entity.js';
