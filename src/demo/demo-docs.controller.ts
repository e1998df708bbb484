import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/**
 * The only files of `swagger-ui-dist` the page loads, and their types: nothing else of the
 * package (its `package.json`, source maps, other bundles) is reachable.
 */
const SWAGGER_UI_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** The page: the document at `/docs/openapi.json`, no inline script, nothing from elsewhere. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>nestjs-sfs-auth demo: API</title>
  <link rel="icon" type="image/png" href="/docs/ui/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/ui/swagger-ui-bundle.js"></script>
  <script src="/docs/ui/init.js"></script>
</body>
</html>
`;

/** Where `swagger-ui-dist` is installed (a dev dependency: the demo's, not the library's). */
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'));

const INIT = `window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#swagger-ui' });\n`;

/**
 * `GET /docs`: the Swagger UI of the demo, through a Nest controller so Express and Fastify serve
 * it alike (no static folder, no `@fastify/static`). `setupDemoApp` serves the document itself at
 * `/docs/openapi.json`.
 */
@ApiExcludeController()
@Controller('docs')
export class DemoDocsController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('ui/init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  init(): string {
    return INIT;
  }

  @Get('ui/:file')
  asset(@Param('file') file: string): StreamableFile {
    const type = Object.hasOwn(SWAGGER_UI_FILES, file) ? SWAGGER_UI_FILES[file] : undefined;
    if (!type) throw new NotFoundException();
    return new StreamableFile(createReadStream(join(SWAGGER_UI_DIR, file)), { type });
  }
}
