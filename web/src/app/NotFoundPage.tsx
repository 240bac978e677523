// SPDX-License-Identifier: AGPL-3.0-or-later
import { Link } from 'react-router';
import { PageHeading } from '../ui/PageHeading';

export function NotFoundPage() {
  return (
    <>
      <PageHeading title="Not found">Page not found</PageHeading>
      <p>
        There is nothing at this address. <Link to="/">Go to the home page</Link>.
      </p>
    </>
  );
}
